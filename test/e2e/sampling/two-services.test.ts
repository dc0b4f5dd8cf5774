import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { scrape } from '../../support/prometheus-text.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { waitFor } from '../../support/wait-for.js';
import { REQUIRE_STRATA, strataEnv, writeConfig } from '../node/helpers.js';
import {
  byTrace,
  CALLEE,
  CALLER,
  type Sent,
  sendAll,
  shuffle,
  type TraceView,
  viewTrace,
} from './helpers.js';

type Kind = 'fast' | 'slow' | 'fail' | 'absorb' | 'rule';

const BASELINE = 0.05;
const WARM_UP = 100;
// A small ceiling keeps the run short; the floor keeps ordinary requests (a few ms, more when the
// machine is busy) away from "slow"; slow requests sleep in PostgreSQL past the ceiling.
const SLOW_MS = 400;
const SAMPLING = `
  baseline: ${BASELINE}
  outliers:
    slow: { floor: 250ms, ceiling: 300ms }
    budget: 10000/s
    rules:
      - name: vip
        when: { route: "/vip*" }
  buffer:
    grace: 100ms
`;
const yaml = (name: string) => `
service:
  name: ${name}
sampling:${SAMPLING}
exporters:
  queue:
    delay: 100ms
    max_spans: 20000
`;

/** 1,000 requests: 3% slow in the callee, 2% failing, 2% failing but absorbed, 2% on a rule's route. */
function plan(): { kind: Kind; path: string }[] {
  const counts: Record<Kind, number> = { slow: 30, fail: 20, absorb: 20, rule: 20, fast: 910 };
  const paths: Record<Kind, (id: number) => string> = {
    fast: (id) => `/order/${id}?kind=ok`,
    slow: (id) => `/order/${id}?kind=slow`,
    fail: (id) => `/order/${id}?kind=fail`,
    absorb: (id) => `/absorb/${id}`,
    rule: (id) => `/vip/${id}`,
  };
  let id = 0;
  const requests = (Object.keys(counts) as Kind[]).flatMap((kind) =>
    Array.from({ length: counts[kind] }, () => ({ kind, path: paths[kind](++id) })),
  );
  return shuffle(requests);
}

/** The reasons a complete outlier trace of each kind must carry on the caller's and the callee's root. */
const EXPECTED: Record<Exclude<Kind, 'fast'>, { caller: string[]; callee: string[] }> = {
  // The callee knows it is slow when it answers and tells the caller (Server-Timing).
  slow: { caller: ['callee', 'slow'], callee: ['slow'] },
  fail: { caller: ['callee', 'error'], callee: ['error'] },
  // The caller answered 200 quickly: only the callee's Server-Timing can make it keep.
  absorb: { caller: ['callee'], callee: ['error'] },
  // The caller's rule matched before it called: the tracestate mark makes the callee keep.
  rule: { caller: ['rule:vip'], callee: ['caller'] },
};

describe('two services, caller → callee on PostgreSQL, baseline 0.05 plus outliers', () => {
  let receiver: OtlpReceiver;
  let sent: Sent<Kind>[];
  let views: Map<string, TraceView>;
  let callerMetricsPort: number;
  let calleeMetricsPort: number;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const calleeEnv = await strataEnv(receiver, {
      STRATA_CONFIG: writeConfig(yaml(CALLEE)),
      SLOW_MS: String(SLOW_MS),
    });
    calleeMetricsPort = calleeEnv.metricsPort;
    const callee = await spawnApp({
      script: appPath('sampling-callee.cjs'),
      nodeArgs: REQUIRE_STRATA,
      env: calleeEnv.env,
    });
    const callerEnv = await strataEnv(receiver, {
      STRATA_CONFIG: writeConfig(yaml(CALLER)),
      CALLEE_URL: callee.url,
    });
    callerMetricsPort = callerEnv.metricsPort;
    const caller = await spawnApp({
      script: appPath('sampling-caller.cjs'),
      nodeArgs: REQUIRE_STRATA,
      env: callerEnv.env,
    });
    // Warm up (JIT, PostgreSQL connections, the routes' latency windows): a cold first request
    // can be slow in the caller alone, which no keep signal can make complete.
    await sendAll(
      caller.url,
      Array.from({ length: WARM_UP }, (_, i) => ({ kind: 'fast', path: `/order/${i}` })),
      24,
    );
    await new Promise((r) => setTimeout(r, 400));
    receiver.reset();
    const started = performance.now();
    sent = await sendAll(caller.url, plan(), 16);
    const elapsed = performance.now() - started;
    const outliers = sent.filter((s) => s.kind !== 'fast');
    // Every outlier's trace is complete once both services have exported their part; if some
    // never are, the tests below say which (waiting longer would not help).
    await waitFor(
      () => {
        const traces = byTrace(receiver.spans());
        return outliers.every((s) => viewTrace(traces.get(s.traceId)).complete);
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    ).catch(() => undefined);
    // Baseline traces were decided at the same time; one more export interval for stragglers.
    await new Promise((r) => setTimeout(r, 500));
    views = new Map([...byTrace(receiver.spans())].map(([id, spans]) => [id, viewTrace(spans)]));
    console.log(
      JSON.stringify({ requests: sent.length, loadMs: Math.round(elapsed), traces: views.size }),
    );
  }, 60_000);

  afterAll(async () => {
    await stopAllApps();
    await receiver?.close();
  });

  it('answers as the apps say: callee failures are 500 unless absorbed, slow ones took over the ceiling', () => {
    const status = (kind: Kind) =>
      new Set(sent.filter((s) => s.kind === kind).map((s) => s.status));
    expect(sent).toHaveLength(1000);
    expect(sent.every((s) => /^[0-9a-f]{32}$/.test(s.traceId))).toBe(true);
    expect(status('fast')).toEqual(new Set([200]));
    expect(status('rule')).toEqual(new Set([200]));
    expect(status('absorb')).toEqual(new Set([200]));
    expect(status('fail')).toEqual(new Set([500]));
    expect(Math.min(...sent.filter((s) => s.kind === 'slow').map((s) => s.ms))).toBeGreaterThan(
      SLOW_MS,
    );
  });

  for (const kind of ['slow', 'fail', 'absorb', 'rule'] as const) {
    it(`keeps every ${kind} request as a complete trace of both services, with its reason`, () => {
      const requests = sent.filter((s) => s.kind === kind);
      const incomplete = requests.filter((s) => !views.get(s.traceId)?.complete);
      expect(incomplete.map((s) => s.path)).toEqual([]);
      for (const s of requests) {
        const view = views.get(s.traceId)!;
        // A trace the baseline kept anyway says so on both sides (and carries th).
        const expected = view.hasTh
          ? { caller: ['baseline'], callee: ['baseline'] }
          : EXPECTED[kind];
        expect({ path: s.path, ...view.reasons }).toEqual({
          path: s.path,
          caller: expect.toBeOneOf(expected.caller),
          callee: expect.toBeOneOf(expected.callee),
        });
      }
    });
  }

  it('keeps the ordinary fast requests at the baseline rate (within 3σ), complete and with th', () => {
    const fast = sent.filter((s) => s.kind === 'fast');
    const kept = fast.filter((s) => views.get(s.traceId)?.hasTh);
    // A fast request that stalled past the floor in the caller alone (a busy machine) is a genuine
    // caller-only slow trace: allowed, rare, and never a baseline one.
    const stalled = fast.filter((s) => views.has(s.traceId) && !views.get(s.traceId)!.hasTh);
    const mean = fast.length * BASELINE;
    const sigma = Math.sqrt(fast.length * BASELINE * (1 - BASELINE));
    console.log(
      JSON.stringify({
        fast: fast.length,
        kept: kept.length,
        expected: mean,
        sigma,
        stalled: stalled.map((s) => Math.round(s.ms)),
      }),
    );
    expect(Math.abs(kept.length - mean)).toBeLessThanOrEqual(3 * sigma);
    for (const s of kept) {
      const view = views.get(s.traceId)!;
      expect({ path: s.path, complete: view.complete, ...view.reasons }).toEqual({
        path: s.path,
        complete: true,
        caller: 'baseline',
        callee: 'baseline',
      });
    }
    expect(stalled.length).toBeLessThanOrEqual(fast.length * 0.01);
    for (const s of stalled) expect(views.get(s.traceId)!.reasons.caller).toBe('slow');
  });

  it('puts no th on a trace kept only as an outlier, and th on every baseline one', () => {
    // Only this run's traces (a warm-up export may straddle the reset).
    const kept = sent.flatMap((s) => views.get(s.traceId) ?? []);
    const outlierOnly = kept.filter((v) => v.reasons.caller !== 'baseline');
    expect(outlierOnly.length).toBeGreaterThanOrEqual(80);
    expect(outlierOnly.filter((v) => v.hasTh)).toEqual([]);
    const baseline = kept.filter((v) => v.reasons.caller === 'baseline');
    expect(baseline.length).toBeGreaterThan(0);
    expect(baseline.every((v) => v.hasTh && v.reasons.callee === 'baseline')).toBe(true);
  });

  it('counts the decisions in /metrics of both services', async () => {
    const caller = await scrape(`http://127.0.0.1:${callerMetricsPort}/metrics`);
    const callee = await scrape(`http://127.0.0.1:${calleeMetricsPort}/metrics`);
    const traces = 'strata_sampling_traces_total';
    console.log(
      JSON.stringify({
        caller: caller.samplesOf(traces).map((s) => [s.labels, s.value]),
        callee: callee.samplesOf(traces).map((s) => [s.labels, s.value]),
      }),
    );
    // Every request (warm-up included) is one local trace in each service, decided once;
    // the budget never bound, so only ordinary traces were dropped.
    expect(caller.sum(traces)).toBe(1000 + WARM_UP);
    expect(callee.sum(traces)).toBe(1000 + WARM_UP);
    for (const metrics of [caller, callee]) {
      expect(metrics.sum(traces, { decision: 'drop' })).toBe(
        metrics.sum(traces, { decision: 'drop', reason: 'none' }),
      );
    }
    expect(callee.sum(traces, { reason: 'caller', decision: 'keep' })).toBeGreaterThanOrEqual(15);
  });
});
