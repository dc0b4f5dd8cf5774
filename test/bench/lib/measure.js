// One measurement of one app under one variant: start-up, idle memory, saturation throughput and
// CPU per request, memory after load, latency at a fixed rate, and whether SIGTERM stops it.
import { readdirSync } from 'node:fs';
import { APPS } from './apps.js';
import { paced, saturate } from './load.js';
import { cpuCoreMicros, cpuMicros, cpuMicrosPrecise, rssBytes } from './proc-stats.js';
import { stop } from './processes.js';
import { startServer } from './server.js';
import { VARIANTS } from './variants.js';

const SERVER_CPU = 0;
const LOAD_CPU = 1;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Extra start-ups (each spawn → first 200 → kill), for a median over more than one sample. */
async function startupSamples(count, spec) {
  const samples = [];
  for (let i = 0; i < count; i += 1) {
    const server = await startServer(spec);
    samples.push(server.startupMs);
    await stop(server.child, 'SIGKILL');
  }
  return samples;
}

/**
 * Strata's register keeps a V8 code cache of its bundle, written 3 s after start-up. A restart
 * finds it; a new container does not. Time one start-up without it (cold), then make sure it
 * exists before the timed start-ups (warm), whatever ran before.
 */
async function codeCacheStartups(spec) {
  const [cold] = await startupSamples(1, { ...spec, env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
  const hasCache = () => readdirSync(spec.ctx.codeCacheDir).some((f) => f.endsWith('.v8cache'));
  if (!hasCache()) {
    const server = await startServer(spec);
    for (let i = 0; i < 50 && !hasCache(); i += 1) await sleep(100);
    await stop(server.child, 'SIGKILL');
  }
  return cold;
}

/** Measure `appId` under `variantId` once; `opts` holds durations, rate and the load tool. */
export async function measureOnce({ variantId, appId, opts, ctx }) {
  const spec = { variantId, appId, ctx, cpu: SERVER_CPU };
  const startupColdMs = VARIANTS[variantId].codeCache ? await codeCacheStartups(spec) : undefined;
  const startups = await startupSamples(opts.startups - 1, spec);
  const server = await startServer(spec);
  startups.push(server.startupMs);
  const { pid, url, child } = server;
  try {
    ctx.sink.reset();
    await sleep(opts.settleMs);
    const rssIdle = rssBytes(pid);
    const load = { tool: opts.tool, url, connections: opts.connections, cpu: LOAD_CPU };
    await saturate({ ...load, durationS: opts.warmupS });
    const cpuBefore = cpuMicros(pid);
    const coreBefore = cpuCoreMicros(SERVER_CPU);
    const windowStart = performance.now();
    const saturation = await saturate({ ...load, durationS: opts.durationS });
    const cpuUsed = cpuMicros(pid) - cpuBefore;
    const windowUs = (performance.now() - windowStart) * 1000;
    const coreAfter = cpuCoreMicros(SERVER_CPU);
    const rssLoad = rssBytes(pid);
    const rate = opts.rate ?? APPS[appId].rate;
    const cpuBeforeFixed = cpuMicrosPrecise(pid);
    const fixed = await paced({ url, rate, durationS: opts.fixedS, cpu: LOAD_CPU });
    const cpuFixed = cpuMicrosPrecise(pid) - cpuBeforeFixed;
    if (child.exitCode !== null || child.signalCode !== null) {
      const how = child.signalCode ?? `exit code ${child.exitCode}`;
      throw new Error(
        `${variantId}/${appId} died during the load (${how}):\n${server.output.text}`,
      );
    }
    const otlp = { requests: ctx.sink.stats.requests, bytes: ctx.sink.stats.bytes };
    const sigterm = await stop(child, 'SIGTERM', opts.sigtermGraceMs);
    return {
      startupMs: startups,
      startupColdMs,
      rssIdleBytes: rssIdle,
      rssLoadBytes: rssLoad,
      saturation,
      cpuUsPerRequest: cpuUsed / saturation.requests,
      // How much of the server's core went elsewhere (other processes, the hypervisor): a noisy
      // measurement shows here, not only as a surprising number.
      serverCore: {
        serverPct: (100 * cpuUsed) / windowUs,
        otherPct: (100 * (coreAfter.busy - coreBefore.busy - cpuUsed)) / windowUs,
        stealPct: (100 * (coreAfter.steal - coreBefore.steal)) / windowUs,
      },
      fixed,
      // The same figure below saturation: every response wakes the load generator, whatever
      // the variant, so added work is not amplified by how long the generator sleeps (see the
      // README, Figures). Warm-up requests of the paced client are included, as their CPU is.
      cpuUsPerRequestFixed: fixed.sent > 0 ? cpuFixed / fixed.sent : Number.NaN,
      otlp,
      exitsOnSigterm: sigterm.exitedOnSignal,
    };
  } finally {
    await stop(child, 'SIGKILL');
  }
}
