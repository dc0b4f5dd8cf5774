import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { scrape } from '../../support/prometheus-text.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { waitFor } from '../../support/wait-for.js';
import { REQUIRE_STRATA, strataEnv, writeConfig } from '../node/helpers.js';
import { CALLEE, REASON, type Sent, sendAll } from './helpers.js';

const BUDGET = 20;
const REQUESTS = 500;
const WAVES = 10;
const WAVE_MS = 200;

describe('the outlier budget under a flood of errors', () => {
  let receiver: OtlpReceiver;
  let metricsPort: number;
  const sent: Sent[] = [];
  let elapsedS = 0;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const config = writeConfig(`
service:
  name: ${CALLEE}
sampling:
  baseline: 0
  outliers:
    slow: false
    budget: ${BUDGET}/s
  buffer:
    grace: 50ms
exporters:
  queue:
    delay: 100ms
`);
    const setup = await strataEnv(receiver, { STRATA_CONFIG: config });
    metricsPort = setup.metricsPort;
    const app = await spawnApp({
      script: appPath('sampling-callee.cjs'),
      nodeArgs: REQUIRE_STRATA,
      env: setup.env,
    });
    // 500 failing requests in ~2 s: waves of 50 every 200 ms.
    const started = performance.now();
    for (let wave = 0; wave < WAVES; wave++) {
      const ids = Array.from({ length: REQUESTS / WAVES }, (_, i) => wave * 100 + i);
      sent.push(
        ...(await sendAll(
          app.url,
          ids.map((id) => ({ kind: 'fail', path: `/item/${id}?kind=fail` })),
          25,
        )),
      );
      const next = started + (wave + 1) * WAVE_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
    elapsedS = (performance.now() - started) / 1000;
    await waitFor(
      async () =>
        (await scrape(`http://127.0.0.1:${metricsPort}/metrics`)).sum(
          'strata_sampling_traces_total',
        ) >= REQUESTS,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    await new Promise((r) => setTimeout(r, 500)); // one more export interval
  }, 60_000);

  afterAll(async () => {
    await stopAllApps();
    await receiver?.close();
  });

  it('keeps about budget × duration + the initial bucket, and counts the rest as dropped', async () => {
    expect(sent).toHaveLength(REQUESTS);
    expect(sent.every((s) => s.status === 500)).toBe(true);
    const roots = receiver.spans().filter((s) => s.parentSpanId === '');
    const kept = new Set(roots.map((s) => s.traceId)).size;
    // Errors may take every token: the bucket starts full (BUDGET) and refills at BUDGET/s while
    // decisions happen (the load's duration, shifted by the grace); a little slack for timers.
    const most = BUDGET + BUDGET * (elapsedS + 0.3);
    const least = BUDGET + BUDGET * (elapsedS - 0.8);
    console.log(JSON.stringify({ requests: REQUESTS, elapsedS, kept, least, most }));
    expect(kept).toBeLessThanOrEqual(most);
    expect(kept).toBeGreaterThanOrEqual(least);
    expect(roots.every((s) => s.attributes[REASON] === 'error')).toBe(true);
    expect(roots.every((s) => !/ot=([^,]*;)?th:/.test(s.traceState))).toBe(true);

    const metrics = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    const traces = 'strata_sampling_traces_total';
    expect(metrics.sum(traces, { reason: 'error', decision: 'keep' })).toBe(kept);
    expect(metrics.sum(traces, { reason: 'error', decision: 'drop' })).toBe(REQUESTS - kept);
    expect(metrics.sum(traces)).toBe(REQUESTS);
  });
});
