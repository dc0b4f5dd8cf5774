import { gzipSync } from 'node:zlib';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from '../../support/otlp-receiver.js';
import { requireFromStrataNode } from '../../support/paths.js';

// The exporters, SDK and API are loaded the way @strata/node loads them, so the
// receiver is checked against the versions Strata actually ships.
type ExporterConfig = {
  url: string;
  compression?: 'gzip' | 'none';
  headers?: Record<string, string>;
};
const load = <T>(name: string): T => requireFromStrataNode(name) as T;
const { OTLPTraceExporter: ProtoTraceExporter } = load<{
  OTLPTraceExporter: new (config: ExporterConfig) => SpanExporter;
}>('@opentelemetry/exporter-trace-otlp-proto');
const { OTLPTraceExporter: JsonTraceExporter } = load<{
  OTLPTraceExporter: new (config: ExporterConfig) => SpanExporter;
}>('@opentelemetry/exporter-trace-otlp-http');
const { OTLPMetricExporter: ProtoMetricExporter } = load<{
  OTLPMetricExporter: new (config: ExporterConfig) => PushMetricExporter;
}>('@opentelemetry/exporter-metrics-otlp-proto');
const { OTLPMetricExporter: JsonMetricExporter } = load<{
  OTLPMetricExporter: new (config: ExporterConfig) => PushMetricExporter;
}>('@opentelemetry/exporter-metrics-otlp-http');
const { SpanKind, SpanStatusCode, TraceFlags } =
  load<typeof import('@opentelemetry/api')>('@opentelemetry/api');
const { ExportResultCode, TraceState } =
  load<typeof import('@opentelemetry/core')>('@opentelemetry/core');
const { resourceFromAttributes } = load<typeof import('@opentelemetry/resources')>(
  '@opentelemetry/resources',
);
const { MeterProvider, PeriodicExportingMetricReader } = load<
  typeof import('@opentelemetry/sdk-metrics')
>('@opentelemetry/sdk-metrics');
type ExportResult = { code: number; error?: Error };

const traceId = '0af7651916cd43dd8448eb211c80319c';
const rootId = 'b7ad6b7169203331';
const childId = '00f067aa0ba902b7';
const linkedTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const resource = resourceFromAttributes({
  'service.name': 'receiver-test',
  'deployment.environment.name': 'test',
});
const scope = { name: '@strata/test-scope', version: '1.2.3' };
// 1_700_000_000.123456789 s: past 2^53 ns, so a lossy number would show.
const start: [number, number] = [1_700_000_000, 123_456_789];
const end: [number, number] = [1_700_000_001, 987_654_321];

function span(overrides: Partial<ReadableSpan> & { id: string }): ReadableSpan {
  const { id, ...rest } = overrides;
  return {
    name: 'span',
    kind: SpanKind.INTERNAL,
    spanContext: () => ({
      traceId,
      spanId: id,
      traceFlags: TraceFlags.SAMPLED,
      traceState: new TraceState('ot=th:8,vendor=x'),
    }),
    startTime: start,
    endTime: end,
    duration: [1, 864_197_532],
    status: { code: SpanStatusCode.UNSET },
    attributes: {},
    links: [],
    events: [],
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...rest,
  };
}

const sent: ReadableSpan[] = [
  span({
    id: rootId,
    name: 'GET /users/:id',
    kind: SpanKind.SERVER,
    status: { code: SpanStatusCode.ERROR, message: 'boom' },
    attributes: {
      'http.request.method': 'GET',
      'http.response.status_code': 500,
      'strata.layer.app.ms': 1.5,
      'feature.on': true,
      'feature.off': false,
      'negative.int': -7,
      'list.strings': ['a', 'b'],
      'list.ints': [1, 2, 3],
      'list.doubles': [0.5, 1.25],
      'list.bools': [true, false],
    },
    events: [
      {
        name: 'exception',
        time: [1_700_000_000, 500_000_001],
        attributes: { 'exception.type': 'Error' },
      },
    ],
    links: [
      {
        context: { traceId: linkedTraceId, spanId: childId, traceFlags: TraceFlags.SAMPLED },
        attributes: { 'link.kind': 'follows' },
      },
    ],
  }),
  span({
    id: childId,
    name: 'pg.query',
    kind: SpanKind.CLIENT,
    parentSpanContext: { traceId, spanId: rootId, traceFlags: TraceFlags.SAMPLED },
    status: { code: SpanStatusCode.OK },
    attributes: { 'db.system.name': 'postgresql' },
  }),
];

async function exportSpans(exporter: SpanExporter): Promise<void> {
  const result = await new Promise<ExportResult>((resolve) => exporter.export(sent, resolve));
  await exporter.shutdown();
  if (result.code !== ExportResultCode.SUCCESS) throw result.error ?? new Error('export failed');
}

function expectDecodedAsSent(spans: ReceivedSpan[]): void {
  expect(spans.map((s) => s.name)).toEqual(['GET /users/:id', 'pg.query']);
  const [root, child] = spans;
  expect(root).toMatchObject({
    traceId,
    spanId: rootId,
    parentSpanId: '',
    traceState: 'ot=th:8,vendor=x',
    kind: 2,
    startTimeUnixNano: 1_700_000_000_123_456_789n,
    endTimeUnixNano: 1_700_000_001_987_654_321n,
    durationNs: 1_864_197_532n,
    status: { code: 2, message: 'boom' },
    resource: { 'service.name': 'receiver-test', 'deployment.environment.name': 'test' },
    scope: { name: '@strata/test-scope', version: '1.2.3' },
  });
  expect(root.flags & 0xff).toBe(1);
  expect(root.attributes).toEqual({
    'http.request.method': 'GET',
    'http.response.status_code': 500,
    'strata.layer.app.ms': 1.5,
    'feature.on': true,
    'feature.off': false,
    'negative.int': -7,
    'list.strings': ['a', 'b'],
    'list.ints': [1, 2, 3],
    'list.doubles': [0.5, 1.25],
    'list.bools': [true, false],
  });
  expect(root.events).toEqual([
    {
      name: 'exception',
      timeUnixNano: 1_700_000_000_500_000_001n,
      attributes: { 'exception.type': 'Error' },
    },
  ]);
  expect(root.links).toEqual([
    {
      traceId: linkedTraceId,
      spanId: childId,
      traceState: '',
      attributes: { 'link.kind': 'follows' },
    },
  ]);
  expect(child).toMatchObject({
    traceId,
    spanId: childId,
    parentSpanId: rootId,
    kind: 3,
    status: { code: 1, message: '' },
    attributes: { 'db.system.name': 'postgresql' },
  });
}

describe('startOtlpReceiver', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => {
    receiver.setMode({});
    receiver.reset();
  });
  afterAll(() => receiver.close());

  describe('traces', () => {
    it('decodes http/protobuf from exporter-trace-otlp-proto', async () => {
      await exportSpans(new ProtoTraceExporter({ url: receiver.tracesUrl }));
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0]).toMatchObject({
        signal: 'traces',
        encoding: 'protobuf',
        contentType: 'application/x-protobuf',
        status: 200,
      });
      expectDecodedAsSent(receiver.spans());
    });

    it('decodes http/json from exporter-trace-otlp-http', async () => {
      await exportSpans(new JsonTraceExporter({ url: receiver.tracesUrl }));
      expect(receiver.requests[0]).toMatchObject({
        encoding: 'json',
        contentType: 'application/json',
      });
      expectDecodedAsSent(receiver.spans());
    });

    it('gives the same spans for both encodings, gzipped or not', async () => {
      const results: ReceivedSpan[][] = [];
      for (const exporter of [
        new ProtoTraceExporter({ url: receiver.tracesUrl, compression: 'gzip' }),
        new JsonTraceExporter({ url: receiver.tracesUrl, compression: 'gzip' }),
        new ProtoTraceExporter({ url: receiver.tracesUrl }),
      ]) {
        receiver.reset();
        await exportSpans(exporter);
        results.push(receiver.spans());
      }
      expect(receiver.requests[0].contentEncoding).toBe('');
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
    });

    it('records gzip and headers of each request', async () => {
      await exportSpans(
        new ProtoTraceExporter({
          url: receiver.tracesUrl,
          compression: 'gzip',
          headers: { 'x-tenant': 'acme' },
        }),
      );
      expect(receiver.requests[0].contentEncoding).toBe('gzip');
      expect(receiver.requests[0].headers['x-tenant']).toBe('acme');
      expectDecodedAsSent(receiver.spans());
    });

    it('waitForSpans resolves when matching spans arrive', async () => {
      const waiting = receiver.waitForSpans((s) => s.kind === 3, { timeoutMs: 5000 });
      await exportSpans(new JsonTraceExporter({ url: receiver.tracesUrl }));
      expect((await waiting).map((s) => s.name)).toEqual(['pg.query']);
    });

    it('waitForSpans times out naming the spans it did receive', async () => {
      await exportSpans(new JsonTraceExporter({ url: receiver.tracesUrl }));
      await expect(
        receiver.waitForSpans((s) => s.name === 'never', { timeoutMs: 100 }),
      ).rejects.toThrow(/GET \/users\/:id, pg\.query/);
    });
  });

  describe('metrics', () => {
    async function exportMetrics(exporter: PushMetricExporter): Promise<void> {
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
      const provider = new MeterProvider({ resource, readers: [reader] });
      const meter = provider.getMeter('@strata/test-meter', '0.0.1');
      const counter = meter.createCounter('strata.request.layer.time', { unit: 's' });
      counter.add(0.25, { layer: 'db', 'layer.system': 'postgresql' });
      counter.add(0.5, { layer: 'db', 'layer.system': 'postgresql' });
      counter.add(1, { layer: 'app' });
      const histogram = meter.createHistogram('http.server.request.duration', { unit: 's' });
      histogram.record(0.003, { 'http.route': '/users/:id' });
      histogram.record(0.2, { 'http.route': '/users/:id' });
      meter.createObservableGauge('strata.buffer.spans').addCallback((r) => r.observe(42));
      await provider.forceFlush();
      await provider.shutdown();
    }

    for (const [label, Exporter] of [
      ['http/protobuf (exporter-metrics-otlp-proto)', ProtoMetricExporter],
      ['http/json (exporter-metrics-otlp-http)', JsonMetricExporter],
    ] as const) {
      it(`decodes ${label}`, async () => {
        await exportMetrics(new Exporter({ url: receiver.metricsUrl }));
        await receiver.waitForMetrics((m) => m.name === 'strata.buffer.spans', { timeoutMs: 2000 });
        const byName = new Map(receiver.metrics().map((m) => [m.name, m]));
        const counter = byName.get('strata.request.layer.time')!;
        expect(counter).toMatchObject({
          type: 'sum',
          unit: 's',
          isMonotonic: true,
          temporality: 2,
        });
        expect(counter.scope).toEqual({ name: '@strata/test-meter', version: '0.0.1' });
        expect(counter.resource['service.name']).toBe('receiver-test');
        const points = counter.dataPoints.map((p) => [p.attributes, p.value]);
        expect(points).toEqual(
          expect.arrayContaining([
            [{ layer: 'db', 'layer.system': 'postgresql' }, 0.75],
            [{ layer: 'app' }, 1],
          ]),
        );
        const histogram = byName.get('http.server.request.duration')!;
        expect(histogram.type).toBe('histogram');
        expect(histogram.dataPoints[0]).toMatchObject({
          attributes: { 'http.route': '/users/:id' },
          count: 2,
          sum: 0.203,
          min: 0.003,
          max: 0.2,
        });
        const { bucketCounts, explicitBounds } = histogram.dataPoints[0];
        expect(bucketCounts!.reduce((a, b) => a + b, 0)).toBe(2);
        expect(bucketCounts).toHaveLength(explicitBounds!.length + 1);
        expect(histogram.dataPoints[0].timeUnixNano).toBeGreaterThan(1_600_000_000_000_000_000n);
        expect(byName.get('strata.buffer.spans')).toMatchObject({
          type: 'gauge',
          dataPoints: [{ value: 42 }],
        });
      });
    }
  });

  describe('modes', () => {
    it('answers 500 and keeps the request but not its spans', async () => {
      receiver.setMode({ status: 500 });
      const exporter = new ProtoTraceExporter({ url: receiver.tracesUrl });
      const result = await new Promise<ExportResult>((r) => exporter.export(sent, r));
      await exporter.shutdown();
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0].status).toBe(500);
      expect(receiver.requests[0].spans).toHaveLength(2);
      expect(receiver.spans()).toEqual([]);
    });

    it('answers 503 with Retry-After', async () => {
      receiver.setMode({ status: 503, retryAfter: '1' });
      const res = await post('/v1/traces', '{}');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
    });

    it('delays its answer', async () => {
      receiver.setMode({ delayMs: 300 });
      const t0 = performance.now();
      const res = await post('/v1/traces', '{}');
      expect(res.status).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    });

    it('hangs without answering, and close() still returns', async () => {
      const hanging = await startOtlpReceiver({ hang: true });
      const outcome = await fetch(hanging.tracesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        signal: AbortSignal.timeout(300),
      }).then(
        () => 'answered',
        (error: Error) => error.name,
      );
      expect(outcome).toBe('TimeoutError');
      expect(hanging.requests).toHaveLength(1);
      expect(hanging.requests[0].status).toBeUndefined();
      const t0 = performance.now();
      await hanging.close();
      expect(performance.now() - t0).toBeLessThan(1000);
    });
  });

  describe('other requests', () => {
    it('accepts and ignores /v1/logs', async () => {
      const res = await post('/v1/logs', gzipSync('{"resourceLogs":[]}'), {
        'content-encoding': 'gzip',
      });
      expect(res.status).toBe(200);
      expect(receiver.requests[0]).toMatchObject({ signal: 'logs', spans: [], metrics: [] });
    });

    it('rejects unknown paths, content types and undecodable bodies', async () => {
      expect((await post('/v1/profiles', '{}')).status).toBe(404);
      expect((await post('/v1/traces', 'x', { 'content-type': 'text/plain' })).status).toBe(415);
      const bad = await post('/v1/traces', Buffer.from([0x0a, 0xff, 0xff]), {
        'content-type': 'application/x-protobuf',
      });
      expect(bad.status).toBe(400);
      expect(receiver.requests.at(-1)?.error).toMatch(/cannot decode protobuf traces/);
    });

    it('reset() forgets requests and spans', async () => {
      await exportSpans(new JsonTraceExporter({ url: receiver.tracesUrl }));
      receiver.reset();
      expect(receiver.requests).toEqual([]);
      expect(receiver.spans()).toEqual([]);
    });
  });

  function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
    return fetch(`${receiver.endpoint}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  }
});
