// Start an app under a variant and time it from spawn to its first successful response.
import http from 'node:http';
import net from 'node:net';
import { APPS } from './apps.js';
import { captureOutput, NODE_BIN, spawnPinned, stop } from './processes.js';
import { cleanEnv, VARIANTS } from './variants.js';

const START_TIMEOUT_MS = 30_000;
const POLL_MS = 2;

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function probe(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(5000, () => req.destroy());
  });
}

/**
 * Spawn `appId` under `variantId` on `cpu`; resolve once GET `path` answers 200, with the time
 * from spawn to that response. Rejects (after killing the child) if it exits or times out.
 */
export async function startServer({ variantId, appId, ctx, cpu, env: extraEnv = {} }) {
  const app = APPS[appId];
  const variant = VARIANTS[variantId];
  const port = await freePort();
  const metricsPort = await freePort();
  const env = {
    ...cleanEnv(),
    ...variant.env({ ...ctx, metricsPort }),
    PORT: String(port),
    ...(app.upstream ? { UPSTREAM_URL: ctx.upstreamUrl } : {}),
    ...extraEnv,
  };
  const args = [...variant.flags(app), app.file];
  const url = `http://127.0.0.1:${port}${app.path}`;
  const started = performance.now();
  const child = spawnPinned(cpu, NODE_BIN, args, { env });
  const output = captureOutput(child);
  const deadline = started + START_TIMEOUT_MS;
  while (performance.now() < deadline && child.exitCode === null && child.signalCode === null) {
    const status = await probe(url);
    if (status === 200) {
      return { child, pid: child.pid, url, startupMs: performance.now() - started, output };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await stop(child, 'SIGKILL');
  const why = child.exitCode !== null ? `exited with ${child.exitCode}` : 'no 200 in time';
  throw new Error(`${variantId}/${appId} did not start (${why}):\n${output.text.trim()}`);
}
