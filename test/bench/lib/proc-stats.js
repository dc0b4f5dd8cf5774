// Process figures from /proc: CPU time (all threads) and resident memory of a server process.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system, all threads) the process has used so far, in microseconds. */
export function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: fields are counted after its closing ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) / clockTicks) * 1e6;
}

/**
 * CPU time the process's threads have run so far, in microseconds, from the scheduler's
 * nanosecond counts (`/proc/<pid>/task/<tid>/schedstat`): for windows too short for
 * `cpuMicros`' clock ticks (10 ms). Threads that have exited are not counted (Node's threads
 * live as long as the process). Falls back to `cpuMicros` where the kernel has no schedstat.
 */
export function cpuMicrosPrecise(pid) {
  let ns = 0;
  let read = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      read++;
    } catch {}
  }
  return read > 0 && Number.isFinite(ns) ? ns / 1000 : cpuMicros(pid);
}

/** Resident set size (VmRSS) of the process, in bytes. */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Busy and steal time of one CPU so far (from /proc/stat), in microseconds. */
export function cpuCoreMicros(cpu) {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${cpu} `));
  if (!line) return { busy: Number.NaN, steal: Number.NaN };
  // user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const toMicros = (ticks) => (ticks / clockTicks) * 1e6;
  return { busy: toMicros(user + nice + system + irq + softirq), steal: toMicros(steal) };
}

/** The machine a run was measured on, for the README and the JSON. */
export function machineInfo(nodeVersion) {
  let cpuModel = 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpuModel = match[1].trim();
  } catch {}
  let nproc = 0;
  try {
    nproc = Number(execFileSync('nproc', ['--all']).toString().trim());
  } catch {}
  return { nproc, cpuModel, node: nodeVersion, clockTicks };
}
