// Child processes of the harness: pinned to a core, tracked, and all killed when the harness exits.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The test/bench directory: children run here so package specifiers resolve from the workspace. */
export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
/** The repository root. */
export const REPO_DIR = dirname(dirname(BENCH_DIR));
/** Node 24 pinned by the repository; PATH may hold an older Node. */
export const NODE_BIN = join(REPO_DIR, 'node_modules', '.bin', 'node');

const children = new Set();
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** Whether processes can be pinned to cores. */
export function canPin() {
  return hasTaskset;
}

/** Spawn `command args` pinned to `cpu` (when taskset works), tracked for clean-up. */
export function spawnPinned(cpu, command, args, options = {}) {
  const [file, argv] =
    hasTaskset && cpu !== undefined
      ? ['taskset', ['-c', String(cpu), command, ...args]]
      : [command, args];
  const child = spawn(file, argv, {
    cwd: BENCH_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resolve once the child has exited; SIGKILL it after `graceMs` if it ignored `signal`. */
export function stop(child, signal = 'SIGTERM', graceMs = 2000) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ exitedOnSignal: true, ms: 0 });
  }
  const started = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      resolve({ exitedOnSignal: ms < graceMs, ms });
    });
    child.kill(signal);
  });
}

/** Collect a child's output (bounded) so a failed start can be explained. */
export function captureOutput(child, limit = 8192) {
  const out = { text: '' };
  const append = (chunk) => {
    if (out.text.length < limit) out.text += chunk.toString().slice(0, limit - out.text.length);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return out;
}

/** Kill every tracked child now (used on exit and on Ctrl-C). */
export function killAll() {
  for (const child of children) child.kill('SIGKILL');
}

/** Kill all children when the harness exits, is interrupted or crashes. */
export function installCleanup() {
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      killAll();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Pin the harness itself (probe client, OTLP sink) off the server's core. */
export function pinSelf(cpu) {
  if (hasTaskset) spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)]);
}

/** Whether a file exists (for optional tools and built packages). */
export function exists(path) {
  return existsSync(path);
}
