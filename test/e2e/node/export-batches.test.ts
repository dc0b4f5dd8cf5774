import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { fetchConcurrently, REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

// Each kept trace is encoded when it is decided; an export request joins many of them. What a
// collector receives must be the same spans, every one, in requests it can decode.
describe.each([
  { protocol: 'http/protobuf', contentType: 'application/x-protobuf' },
  { protocol: 'http/json', contentType: 'application/json' },
])('export batches over $protocol', ({ protocol, contentType }) => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await stopAllApps();
    receiver.reset();
  });
  afterAll(() => receiver.close());

  it('delivers every span of every kept trace, many traces per request', async () => {
    const file = writeConfig(`
exporters:
  otlp:
    protocol: ${protocol}
  queue:
    delay: 200ms
    max_batch: 256
sampling:
  baseline: 1
  buffer:
    grace: 50ms
`);
    const { env } = await strataEnv(receiver, { STRATA_CONFIG: file });
    const app = await spawnApp({
      script: appPath('express-hello.cjs'),
      nodeArgs: REQUIRE_STRATA,
      env,
    });
    const requests = 300;
    await fetchConcurrently(app, '/users/7', requests);

    const roots = await receiver.waitForSpans((s) => s.name === 'GET /users/:id', {
      count: requests,
      timeoutMs: 15_000,
    });
    const traces = new Set(roots.map((s) => s.traceId));
    expect(traces.size).toBe(requests);
    // Every root arrives with its children (Express's router and handler spans).
    const spans = receiver.requests.flatMap((r) => r.spans);
    for (const root of roots) {
      const children = spans.filter((s) => s.parentSpanId === root.spanId);
      expect(children.map((s) => s.name)).toContain('request handler');
      expect(children.every((s) => s.traceId === root.traceId)).toBe(true);
    }
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);

    const traceRequests = receiver.requests.filter((r) => r.signal === 'traces');
    expect(traceRequests.every((r) => r.error === undefined && r.contentType === contentType)).toBe(
      true,
    );
    const tracesPerRequest = traceRequests.map((r) => new Set(r.spans.map((s) => s.traceId)).size);
    expect(Math.max(...tracesPerRequest)).toBeGreaterThan(10);
    // max_batch counts spans; a trace is never split across requests.
    expect(Math.max(...traceRequests.map((r) => r.spans.length))).toBeLessThanOrEqual(256);
    const requestsOfTrace = new Map<string, Set<number>>();
    traceRequests.forEach((r, i) => {
      for (const s of r.spans) {
        const seen = requestsOfTrace.get(s.traceId) ?? new Set<number>();
        requestsOfTrace.set(s.traceId, seen.add(i));
      }
    });
    expect([...requestsOfTrace.values()].every((seen) => seen.size === 1)).toBe(true);
  });
});
