import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, type ReadableSpan, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { spansOf } from '../../../../test/support/otlp/normalize';
import { decodeTraceRequest } from '../../../../test/support/otlp/otlp-proto';
import type { ReceivedSpan } from '../../../../test/support/otlp/types';
import { joinJsonTraceRequests, joinProtobufTraceRequests } from '../../src/export/otlp-join';
import { createResourceElision } from '../../src/export/resource-elision';

/** `traces` local traces of a server span, a db child and a cache child (two scopes). */
function recordTraces(traces: number, service = 'checkout'): ReadableSpan[][] {
  let ended: ReadableSpan[] = [];
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'host.name': 'web-1' }),
    sampler: new AlwaysOnSampler(),
    spanProcessors: [
      {
        onStart() {},
        onEnd: (span) => ended.push(span),
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  const http = provider.getTracer('@strata/node', '1.0.0');
  const pg = provider.getTracer('@opentelemetry/instrumentation-pg', '0.60.0');
  const out: ReadableSpan[][] = [];
  for (let i = 0; i < traces; i++) {
    ended = [];
    const root = http.startSpan(`GET /order/${i}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.route': '/order/:id', 'strata.layer.db.ms': 1.5 + i },
    });
    const parent = trace.setSpan(context.active(), root);
    pg.startSpan('SELECT test', { kind: SpanKind.CLIENT }, parent).end();
    const cache = http.startSpan('GET', { attributes: { 'db.system.name': 'redis' } }, parent);
    cache.addEvent('miss', { key: `order:${i}` });
    cache.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout' });
    cache.end();
    root.end();
    out.push(ended);
  }
  return out;
}

/** The same spans, field for field; their order may differ (grouping by scope). */
function expectSameSpans(received: ReceivedSpan[], expected: ReceivedSpan[]): void {
  expect(received).toHaveLength(expected.length);
  const byId = new Map(expected.map((s) => [s.spanId, s]));
  for (const span of received) expect(span).toEqual(byId.get(span.spanId));
}

describe('joinProtobufTraceRequests', () => {
  it('decodes to every span of every part, under one resource and one entry per scope', () => {
    const traces = recordTraces(5);
    const joined = joinProtobufTraceRequests(
      traces.map((spans) => ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array),
    );
    const request = decodeTraceRequest(joined) as { resourceSpans: { scopeSpans: unknown[] }[] };
    expect(request.resourceSpans).toHaveLength(1);
    expect(request.resourceSpans[0].scopeSpans).toHaveLength(2);
    const wholeBytes = ProtobufTraceSerializer.serializeRequest(traces.flat()) as Uint8Array;
    // No resource or scope repeated: as small as serializing every span at once.
    expect(joined.length).toBe(wholeBytes.length);
    const whole = spansOf(decodeTraceRequest(wholeBytes));
    expect(whole).toHaveLength(15);
    expectSameSpans(spansOf(request), whole);
  });

  it('keeps one ResourceSpans per distinct resource', () => {
    const a = recordTraces(2, 'checkout');
    const b = recordTraces(1, 'billing');
    const parts = [...a, ...b].map(
      (spans) => ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array,
    );
    const request = decodeTraceRequest(joinProtobufTraceRequests(parts)) as {
      resourceSpans: { resource: unknown; scopeSpans: unknown[] }[];
    };
    expect(request.resourceSpans).toHaveLength(2);
    const services = spansOf(request).map((s) => s.resource['service.name']);
    expect(services.filter((s) => s === 'checkout')).toHaveLength(6);
    expect(services.filter((s) => s === 'billing')).toHaveLength(3);
  });

  it('returns a single part as it is', () => {
    const part = ProtobufTraceSerializer.serializeRequest(recordTraces(1)[0]) as Uint8Array;
    expect(joinProtobufTraceRequests([part])).toBe(part);
  });

  it('rejects a part that is not a protobuf message', () => {
    const part = ProtobufTraceSerializer.serializeRequest(recordTraces(1)[0]) as Uint8Array;
    expect(() => joinProtobufTraceRequests([part, part.subarray(0, part.length - 7)])).toThrow(
      /runs past its message|truncated/,
    );
  });
});

describe('createResourceElision', () => {
  const serialize = (spans: ReadableSpan[]) =>
    ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;

  it('encodes parts without the resource; the join writes it once, as one serialization would', () => {
    const traces = recordTraces(4);
    const elision = createResourceElision(serialize);
    const parts = traces.map((spans) => elision.encode(spans));
    const wholeBytes = serialize(traces.flat());
    // Each part is smaller by the resource it leaves out.
    expect(parts[1].length).toBeLessThan(serialize(traces[1]).length);
    const joined = joinProtobufTraceRequests(parts, elision.restoreHead);
    expect(joined.length).toBe(wholeBytes.length);
    expectSameSpans(spansOf(decodeTraceRequest(joined)), spansOf(decodeTraceRequest(wholeBytes)));
    // The spans keep their own resource.
    const resource = traces[0][0].resource;
    expect(traces.flat().every((span) => span.resource === resource)).toBe(true);
  });

  it('restores the resource of a batch of one part', () => {
    const [spans] = recordTraces(1);
    const elision = createResourceElision(serialize);
    const joined = joinProtobufTraceRequests([elision.encode(spans)], elision.restoreHead);
    const received = spansOf(decodeTraceRequest(joined));
    expect(received.map((s) => s.resource['service.name'])).toEqual([
      'checkout',
      'checkout',
      'checkout',
    ]);
  });

  it('encodes spans of another resource with it', () => {
    const elision = createResourceElision(serialize);
    const parts = [
      ...recordTraces(2, 'checkout').map((spans) => elision.encode(spans)),
      ...recordTraces(1, 'billing').map((spans) => elision.encode(spans)),
    ];
    const received = spansOf(
      decodeTraceRequest(joinProtobufTraceRequests(parts, elision.restoreHead)),
    );
    const services = received.map((s) => s.resource['service.name']);
    expect(services.filter((s) => s === 'checkout')).toHaveLength(6);
    expect(services.filter((s) => s === 'billing')).toHaveLength(3);
  });
});

describe('joinJsonTraceRequests', () => {
  it('parses to every span of every part', () => {
    const traces = recordTraces(4);
    const joined = joinJsonTraceRequests(
      traces.map((spans) => JsonTraceSerializer.serializeRequest(spans) as Uint8Array),
    );
    const request = JSON.parse(Buffer.from(joined).toString('utf8'));
    const received = spansOf(request);
    const whole = spansOf(
      JSON.parse(
        Buffer.from(JsonTraceSerializer.serializeRequest(traces.flat()) as Uint8Array).toString(),
      ),
    );
    expect(whole).toHaveLength(12);
    expectSameSpans(received, whole);
  });

  it('rejects a part that is not an OTLP/JSON trace request', () => {
    const part = JsonTraceSerializer.serializeRequest(recordTraces(1)[0]) as Uint8Array;
    expect(() => joinJsonTraceRequests([part, Buffer.from('{"resourceMetrics":[]}')])).toThrow(
      /not an OTLP\/JSON trace export request/,
    );
  });
});
