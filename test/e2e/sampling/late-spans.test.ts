import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { scrape } from '../../support/prometheus-text.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { waitFor } from '../../support/wait-for.js';
import { REQUIRE_STRATA, strataEnv, writeConfig } from '../node/helpers.js';
import { byTrace, CALLER, REASON, type Sent, sendAll } from './helpers.js';

const GRACE_MS = 100;
const LATE_MS = GRACE_MS + 200;
const EACH = 20;

describe('spans that end after their trace was decided', () => {
  let receiver: OtlpReceiver;
  let metricsPort: number;
  let sent: Sent[];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // Baseline 0: a trace is kept by the rule on /late/keep, or not at all.
    const config = writeConfig(`
service:
  name: ${CALLER}
sampling:
  baseline: 0
  outliers:
    rules:
      - name: late-keep
        when: { attributes: { url.path: /late/keep } }
  buffer:
    grace: ${GRACE_MS}ms
exporters:
  queue:
    delay: 100ms
`);
    const setup = await strataEnv(receiver, { STRATA_CONFIG: config });
    metricsPort = setup.metricsPort;
    const app = await spawnApp({
      script: appPath('sampling-caller.cjs'),
      nodeArgs: REQUIRE_STRATA,
      env: setup.env,
    });
    const requests = ['keep', 'drop'].flatMap((kind) =>
      Array.from({ length: EACH }, () => ({ kind, path: `/late/${kind}?ms=${LATE_MS}` })),
    );
    sent = await sendAll(app.url, requests, 8);
    await waitFor(
      async () => {
        const metrics = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
        return metrics.sum('strata_sampling_late_spans_total') >= 2 * EACH;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    await new Promise((r) => setTimeout(r, 500)); // one more export interval
  }, 60_000);

  afterAll(async () => {
    await stopAllApps();
    await receiver?.close();
  });

  it('exports a late span exactly when its trace was kept', () => {
    const traces = byTrace(receiver.spans());
    const keep = sent.filter((s) => s.kind === 'keep');
    const drop = sent.filter((s) => s.kind === 'drop');
    expect(drop.filter((s) => traces.has(s.traceId)).map((s) => s.path)).toEqual([]);
    for (const s of keep) {
      const spans = traces.get(s.traceId) ?? [];
      const root = spans.find((x) => x.parentSpanId === '');
      const late = spans.filter((x) => x.name === 'late-work');
      expect({ root: root?.attributes[REASON], late: late.length }).toEqual({
        root: 'rule:late-keep',
        late: 1,
      });
      // It really was late: it ended after the root's end plus the grace.
      expect(late[0].endTimeUnixNano - root!.endTimeUnixNano).toBeGreaterThan(
        BigInt(GRACE_MS * 1e6),
      );
      // And it is a child in the same trace, under the kept local root.
      expect(spans.some((x) => x.spanId === late[0].parentSpanId)).toBe(true);
    }
    expect(receiver.spans().filter((x) => x.name === 'late-work')).toHaveLength(EACH);
  });

  it('counts late spans by decision in /metrics', async () => {
    const metrics = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.sum('strata_sampling_late_spans_total', { decision: 'keep' })).toBe(EACH);
    expect(metrics.sum('strata_sampling_late_spans_total', { decision: 'drop' })).toBe(EACH);
  });
});
