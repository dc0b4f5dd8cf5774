import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

// Strata serializes a batch a few dozen spans per event-loop turn and joins the parts into one
// request (packages/node/src/export/serialize-in-turns.ts): a batch well past that must still
// arrive as one request that decodes to every span, whole.
const REQUESTS = 120;

describe.each(['http/protobuf', 'http/json'])('a large export batch over %s', (protocol) => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await stopAllApps();
    receiver.reset();
  });
  afterAll(() => receiver.close());

  it('arrives as one request with every span and its attributes', async () => {
    // Every trace kept, held until the queue's delay: one batch of all of them.
    const file = writeConfig(`
exporters:
  otlp:
    protocol: ${protocol}
  queue:
    delay: 3s
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
    for (let i = 0; i < REQUESTS; i++) await (await app.fetch(`/users/${i}`)).text();

    const servers = await receiver.waitForSpans((s) => s.kind === 2, {
      count: REQUESTS,
      timeoutMs: 15_000,
    });
    const sizes = receiver.requests.filter((r) => r.spans.length > 0).map((r) => r.spans.length);
    // Server and Express handler spans of every request, most in one request.
    expect(Math.max(...sizes)).toBeGreaterThan(150);
    expect(receiver.requests.every((r) => r.error === undefined && r.status === 200)).toBe(true);

    const spans = receiver.spans();
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
    const ids = servers.map((s) => s.attributes['url.path']).sort();
    expect(ids).toEqual(Array.from({ length: REQUESTS }, (_, i) => `/users/${i}`).sort());
    for (const server of servers) {
      expect(server.name).toBe('GET /users/:id');
      const handler = spans.find((s) => s.parentSpanId === server.spanId);
      expect(handler?.traceId).toBe(server.traceId);
      expect(handler?.attributes['express.type']).toBe('request_handler');
    }
  });
});
