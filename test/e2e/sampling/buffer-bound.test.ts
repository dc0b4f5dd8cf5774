import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { scrape } from '../../support/prometheus-text.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { REQUIRE_STRATA, strataEnv, writeConfig } from '../node/helpers.js';
import { CALLER } from './helpers.js';

const MAX_BYTES = 4_000_000;
const SPANS_PER_REQUEST = 200;
const LOAD_MS = 6000;

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

describe('the local-trace buffer with the exporter down', () => {
  const gauge: number[] = [];
  let metricsPort: number;
  let requests = 0;
  let failures = 0;
  let elapsedMs = 0;
  const rss = { before: 0, after: 0 };

  beforeAll(async () => {
    // Nobody listens at the OTLP endpoint: every export fails.
    const receiver = await startOtlpReceiver();
    await receiver.close();
    // A long grace and a step that outlives each response (see /fanout) hold
    // every trace in the buffer: at this load the byte cap binds within ms.
    const config = writeConfig(`
service:
  name: ${CALLER}
sampling:
  baseline: 0.1
  buffer:
    max_bytes: 4MB
    grace: 2s
exporters:
  otlp:
    timeout: 200ms
`);
    const setup = await strataEnv(receiver, { STRATA_CONFIG: config });
    metricsPort = setup.metricsPort;
    const app = await spawnApp({
      script: appPath('sampling-caller.cjs'),
      nodeArgs: REQUIRE_STRATA,
      env: setup.env,
    });
    const url = `${app.url}/fanout?n=${SPANS_PER_REQUEST - 1}`;
    rss.before = rssBytes(app.pid);
    const started = performance.now();
    const deadline = started + LOAD_MS;
    const load = Promise.all(
      Array.from({ length: 32 }, async () => {
        while (performance.now() < deadline) {
          const response = await fetch(url);
          await response.arrayBuffer();
          requests++;
          if (response.status !== 200) failures++;
        }
      }),
    );
    // Scrape the gauge all along the load.
    while (performance.now() < deadline) {
      const metrics = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
      gauge.push(metrics.sum('strata_sampling_buffer_bytes'));
      await new Promise((r) => setTimeout(r, 50));
    }
    await load;
    elapsedMs = performance.now() - started;
    rss.after = rssBytes(app.pid);
  }, 60_000);

  afterAll(() => stopAllApps());

  it('never holds more than sampling.buffer.max_bytes while the load runs', async () => {
    const spansPerSecond = Math.round((requests * SPANS_PER_REQUEST) / (elapsedMs / 1000));
    const peak = Math.max(...gauge);
    console.log(
      JSON.stringify({
        requests,
        spansPerSecond,
        scrapes: gauge.length,
        peak,
        maxBytes: MAX_BYTES,
        rss,
      }),
    );
    expect(failures).toBe(0);
    expect(gauge.length).toBeGreaterThanOrEqual(10);
    expect(peak).toBeLessThanOrEqual(MAX_BYTES);
    // The load did fill it: the cap bound, traces were decided early to make room.
    expect(peak).toBeGreaterThan(MAX_BYTES * 0.75);
    const metrics = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(
      metrics.sum('strata_sampling_early_traces_total', { cause: 'buffer_full' }),
    ).toBeGreaterThan(0);
    expect(metrics.sum('strata_sampling_buffer_bytes')).toBeLessThanOrEqual(MAX_BYTES);
  });
});
