import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedSpan } from '../../support/otlp/types.js';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath, repoRoot } from '../../support/paths.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { KEEP_ALL_YAML, REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

// Express's spans, and the app's own span inside an async handler (its parent must be the handler's).
const SCOPES = new Set(['@opentelemetry/instrumentation-express', 'express-layers-app']);

// Every kind of layer the app has; each request is its own trace.
const REQUESTS: { method: string; path: string; body?: string }[] = [
  { method: 'GET', path: '/api/users/7' },
  { method: 'POST', path: '/api/users', body: '{"name":"ann"}' },
  { method: 'GET', path: '/fail' },
  { method: 'GET', path: '/throw' },
  { method: 'GET', path: '/skip' },
  { method: 'GET', path: '/b' },
  { method: 'GET', path: '/missing' },
];

interface SpanView {
  name: string;
  /** The parent's name; `(server)` for the HTTP server span. */
  parent: string | undefined;
  attributes: Record<string, unknown>;
  status: number;
  events: string[];
}

/** The Express spans of each request, as Jaeger and Strata's layers see them. */
function byRequest(spans: ReceivedSpan[]): Map<string, SpanView[]> {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const out = new Map<string, SpanView[]>();
  for (const server of spans.filter((s) => s.kind === 2)) {
    const key = `${server.attributes['http.request.method']} ${server.attributes['url.path']}`;
    const views = spans
      .filter((s) => s.traceId === server.traceId && SCOPES.has(s.scope.name))
      .map((s) => {
        const parent = byId.get(s.parentSpanId);
        return {
          name: s.name,
          parent: parent === server ? '(server)' : parent?.name,
          attributes: s.attributes,
          status: s.status.code,
          events: s.events.map((e) => e.name),
        };
      })
      .sort((a, b) => `${a.name}<${a.parent}`.localeCompare(`${b.name}<${b.parent}`));
    out.set(key, views);
  }
  return out;
}

// The same app on each major version users run; Express 4 from its own folder, loaded by name.
const APPS = [
  { express: 'Express 5', script: appPath('express-layers.cjs') },
  {
    express: 'Express 4',
    script: path.join(repoRoot, 'test', 'support', 'express4', 'express-layers.cjs'),
  },
];

describe.each(APPS)('$express spans', ({ express, script }) => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await stopAllApps();
    receiver.reset();
  });
  afterAll(() => receiver.close());

  async function record(nodeArgs: string[], env: Record<string, string | undefined>) {
    const app = await spawnApp({ script, nodeArgs, env });
    for (const { method, path, body } of REQUESTS) {
      await app.fetch(path, {
        method,
        body,
        headers: body ? { 'content-type': 'application/json' } : {},
      });
    }
    await receiver.waitForSpans((s) => s.kind === 2, {
      count: REQUESTS.length,
      timeoutMs: 15_000,
    });
    // The last Express spans end on the response's close, after the server span.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const spans = byRequest(receiver.spans());
    await stopAllApps();
    receiver.reset();
    return spans;
  }

  it('are the stock instrumentation’s: names, attributes, parents, statuses and events', async () => {
    const stock = await record(
      ['--require', '@opentelemetry/auto-instrumentations-node/register'],
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express',
        OTEL_NODE_RESOURCE_DETECTORS: 'env',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    );
    const { env } = await strataEnv(receiver, { STRATA_CONFIG: writeConfig(KEEP_ALL_YAML) });
    const strata = await record(REQUIRE_STRATA, env);

    for (const { method, path } of REQUESTS) {
      const key = `${method} ${path}`;
      expect(strata.get(key), key).toEqual(stock.get(key));
    }
    // Not vacuous: the stock output has the layers this app goes through.
    const names = [...stock.values()].flat().map((s) => s.name);
    expect(names).toContain('middleware - requestId');
    expect(names).toContain('middleware - jsonParser');
    // The version under test: only Express 4 adds its built-in expressInit middleware.
    expect(names.includes('middleware - expressInit')).toBe(express === 'Express 4');
    const user = stock.get('GET /api/users/7') ?? [];
    expect(user.map((s) => s.attributes['express.type'])).toContain('request_handler');
    expect(user.map((s) => s.attributes['express.type'])).toContain('router');
    const fail = stock.get('GET /fail') ?? [];
    expect(fail.some((s) => s.status === 2 && s.events.includes('exception'))).toBe(true);
  });
});
