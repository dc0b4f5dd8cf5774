// Load generators, each a separate process pinned to the load core: wrk (preferred, lowest
// overhead) or autocannon for saturation, and the paced client for latency at a fixed rate.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR, captureOutput, NODE_BIN, spawnPinned } from './processes.js';

/** `wrk` when installed, else `autocannon`. */
export function pickLoadTool(requested) {
  if (requested) return requested;
  return spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk';
}

function runToExit(child) {
  const output = captureOutput(child, 1 << 20);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, text: output.text }));
  });
}

/** Parse wrk's summary into requests, seconds and errors. */
export function parseWrk(text) {
  const summary = /(\d+) requests in ([\d.]+)(ms|s|m)\b/.exec(text);
  if (!summary) throw new Error(`cannot parse wrk output:\n${text}`);
  const unit = { ms: 1e-3, s: 1, m: 60 }[summary[3]];
  const requests = Number(summary[1]);
  const seconds = Number(summary[2]) * unit;
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  return { requests, seconds, rps: requests / seconds, errors, non2xx };
}

/** Drive `url` as fast as the server answers for `durationS` seconds. */
export async function saturate({ tool, url, durationS, connections, cpu }) {
  if (tool === 'wrk') {
    const args = ['-t1', `-c${connections}`, `-d${durationS}s`, url];
    const { code, text } = await runToExit(spawnPinned(cpu, 'wrk', args));
    if (code !== 0) throw new Error(`wrk exited with ${code}:\n${text}`);
    return { tool, ...parseWrk(text) };
  }
  const script = join(BENCH_DIR, 'lib', 'autocannon-child.js');
  const args = [script, url, String(durationS), String(connections)];
  const { code, text } = await runToExit(spawnPinned(cpu, NODE_BIN, args));
  if (code !== 0) throw new Error(`autocannon exited with ${code}:\n${text}`);
  return { tool, ...JSON.parse(text.trim().split('\n').at(-1)) };
}

/** Send `rate` requests per second for `durationS` seconds; latency percentiles in ms. */
export async function paced({ url, rate, durationS, cpu }) {
  const script = join(BENCH_DIR, 'lib', 'paced-client.js');
  const args = [script, url, String(rate), String(durationS)];
  const { code, text } = await runToExit(spawnPinned(cpu, NODE_BIN, args));
  if (code !== 0) throw new Error(`paced client exited with ${code}:\n${text}`);
  return JSON.parse(text.trim().split('\n').at(-1));
}
