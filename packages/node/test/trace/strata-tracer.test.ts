import { inspect } from 'node:util';
import {
  type Context,
  context,
  createTraceState,
  diag,
  type HrTime,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { hrTimeDuration, suppressTracing } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  type IdGenerator,
  type ReadableSpan,
  type Sampler,
  SamplingDecision,
  type SpanLimits,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OWNED_ATTRIBUTES } from '../../src/trace/owned-attributes';
import { StrataSpan } from '../../src/trace/strata-span';
import { StrataTracerProvider } from '../../src/trace/strata-tracer-provider';

// Every scenario runs on the SDK's provider and on Strata's, with the same ids, sampler and
// inputs: what processors and exporters read of the spans must be the same.

/** Ids from a counter: both providers see the same sequence. */
class CountingIds implements IdGenerator {
  private n = 0;
  generateTraceId(): string {
    return (++this.n).toString(16).padStart(32, '0');
  }
  generateSpanId(): string {
    return (++this.n).toString(16).padStart(16, '0');
  }
}

/** Collects what a processor sees. */
function recorder() {
  const started: { span: Span; ctx: Context }[] = [];
  const ended: ReadableSpan[] = [];
  const processor: SpanProcessor = {
    onStart: (span, ctx) => started.push({ span, ctx }),
    onEnd: (span) => ended.push(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  return { started, ended, processor };
}

const resource = resourceFromAttributes({ 'service.name': 'checkout' });

type Make = (sampler: Sampler, limits?: SpanLimits) => { tracer: Tracer; ended: ReadableSpan[] };

const sdk: Make = (sampler, limits) => {
  const { processor, ended } = recorder();
  const provider = new TracerProvider({
    resource,
    sampler,
    idGenerator: new CountingIds(),
    spanProcessors: [processor],
    spanLimits: limits,
  });
  return { tracer: provider.getTracer('scope-a', '1.2.3', { schemaUrl: 'https://s' }), ended };
};

const strata: Make = (sampler, limits) => {
  const { processor, ended } = recorder();
  const provider = new StrataTracerProvider({
    resource,
    sampler,
    idGenerator: new CountingIds(),
    spanProcessor: processor,
    spanLimits: limits,
  });
  return { tracer: provider.getTracer('scope-a', '1.2.3', { schemaUrl: 'https://s' }), ended };
};

/** What an exporter reads of a span. */
function view(span: ReadableSpan) {
  const ctx = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    traceFlags: ctx.traceFlags,
    traceState: ctx.traceState?.serialize(),
    parent: span.parentSpanContext && {
      traceId: span.parentSpanContext.traceId,
      spanId: span.parentSpanContext.spanId,
      isRemote: span.parentSpanContext.isRemote,
    },
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    ended: span.ended,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
    resource: span.resource === resource,
    scope: span.instrumentationScope,
  };
}

const T0: HrTime = [1_700_000_000, 5];
const T1: HrTime = [1_700_000_001, 999_999_000];

/** Run a scenario on both providers; returns the views of the ended spans of each. */
function both(
  scenario: (tracer: Tracer) => void,
  sampler: Sampler = new AlwaysOnSampler(),
  limits?: SpanLimits,
) {
  const results = [sdk, strata].map((make) => {
    const { tracer, ended } = make(sampler, limits);
    scenario(tracer);
    return ended.map(view);
  });
  return { sdk: results[0], strata: results[1] };
}

function expectSame(scenario: (tracer: Tracer) => void, sampler?: Sampler, limits?: SpanLimits) {
  const { sdk: expected, strata: actual } = both(scenario, sampler, limits);
  expect(expected.length).toBeGreaterThan(0);
  expect(actual).toEqual(expected);
  return actual;
}

const fixed: SpanOptions = { startTime: T0 };

describe('StrataTracer and StrataSpan, against the SDK', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(manager.enable()));
  afterAll(() => context.disable());

  it('records the same root and child spans, kinds, ids and parents', () => {
    const spans = expectSame((tracer) => {
      const root = tracer.startSpan('GET /orders/:id', { ...fixed, kind: SpanKind.SERVER });
      const ctx = trace.setSpan(ROOT_CONTEXT, root);
      tracer.startSpan('pg.query', { ...fixed, kind: SpanKind.CLIENT }, ctx).end(T1);
      tracer.startSpan('fresh root', { ...fixed, root: true }, ctx).end(T1);
      root.end(T1);
    });
    expect(spans.map((s) => s.name)).toEqual(['pg.query', 'fresh root', 'GET /orders/:id']);
    expect(spans[0].parent?.spanId).toBe(spans[2].spanId);
    expect(spans[1].parent).toBeUndefined();
  });

  it('continues a remote parent, and starts a new trace under an invalid one', () => {
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
      traceState: createTraceState('vendor=x'),
      isRemote: true,
    });
    const invalid = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
    });
    const spans = expectSame((tracer) => {
      tracer.startSpan('child of remote', fixed, remote).end(T1);
      tracer.startSpan('child of invalid', fixed, invalid).end(T1);
    });
    expect(spans[0].parent).toEqual({
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      isRemote: true,
    });
    expect(spans[0].traceState).toBe('vendor=x');
    expect(spans[1].parent).toBeUndefined();
  });

  it('cleans attributes the same way, owned or not, and applies the attribute limits', () => {
    const shared = { 'db.system.name': 'postgresql', 'bad.value': { nested: true } as never };
    expectSame(
      (tracer) => {
        const span = tracer.startSpan('a', { ...fixed, attributes: shared });
        span.setAttribute('n', 1);
        span.setAttribute('list', [1, 2]);
        span.setAttribute('', 'empty key');
        span.setAttribute('undefined', undefined);
        span.setAttributes({ x: 'x', y: 'y', z: 'z' });
        span.end(T1);
        tracer
          .startSpan('owned', {
            ...fixed,
            attributes: { 'http.request.method': 'GET', 'server.port': 80, ok: true },
            [OWNED_ATTRIBUTES]: true,
          } as SpanOptions)
          .end(T1);
        tracer
          .startSpan('owned, one value an array', {
            ...fixed,
            attributes: { a: 'a', b: ['x'] },
            [OWNED_ATTRIBUTES]: true,
          } as SpanOptions)
          .end(T1);
      },
      undefined,
      { attributeCountLimit: 3, attributeValueLengthLimit: 4 },
    );
    // The caller's object is copied, never adopted.
    expect(shared).toEqual({ 'db.system.name': 'postgresql', 'bad.value': { nested: true } });
  });

  it('keeps events, links and exceptions within their limits', () => {
    const link = {
      context: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1 },
      attributes: { a: 1, b: 2, c: 3 },
    };
    expectSame(
      (tracer) => {
        const span = tracer.startSpan('a', { ...fixed, links: [link, link, link] });
        span.addEvent('first', { k: 'v', k2: 'v2', k3: 'v3' }, T0);
        span.addEvent('second', T1);
        span.addEvent('third', { k: 1 }, T1);
        span.addLink(link);
        span.addLinks([link]);
        span.recordException(Object.assign(new Error('boom'), { code: 'E_BOOM' }), T1);
        span.recordException('plain message', T1);
        span.end(T1);
      },
      undefined,
      {
        eventCountLimit: 2,
        linkCountLimit: 2,
        attributePerEventCountLimit: 2,
        attributePerLinkCountLimit: 1,
      },
    );
  });

  it('follows the status rules: UNSET never overrides, OK is final, messages only on ERROR', () => {
    expectSame((tracer) => {
      const a = tracer.startSpan('a', fixed);
      a.setStatus({ code: SpanStatusCode.ERROR, message: 'bad' });
      a.setStatus({ code: SpanStatusCode.UNSET });
      a.end(T1);
      const b = tracer.startSpan('b', fixed);
      b.setStatus({ code: SpanStatusCode.OK, message: 'ignored' });
      b.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
      b.end(T1);
      const c = tracer.startSpan('c', fixed);
      c.setStatus({ code: SpanStatusCode.ERROR, message: 42 as never });
      c.updateName('c renamed');
      c.end(T1);
    });
  });

  it('ignores operations on an ended span and a second end, with the same warnings', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(diag, 'error').mockImplementation(() => undefined);
    try {
      const calls: string[][] = [];
      for (const make of [sdk, strata]) {
        warn.mockClear();
        error.mockClear();
        const { tracer } = make(new AlwaysOnSampler());
        const span = tracer.startSpan('a', fixed);
        span.end(T1);
        span.setAttribute('late', 1);
        span.addEvent('late');
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.updateName('late');
        span.end(T1);
        expect(span.isRecording()).toBe(false);
        calls.push([
          ...warn.mock.calls.map((c) => String(c[0])),
          ...error.mock.calls.map((c) => String(c[0])),
        ]);
      }
      expect(calls[1]).toEqual(calls[0]);
      // Four operations ignored, and the second end: warned, then an error.
      expect(calls[1]).toHaveLength(6);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });

  it('reads start and end times as the SDK does: HrTime, epoch ms, Date, performance.now()', () => {
    const epoch = 1_700_000_000_123.5;
    const spans = expectSame((tracer) => {
      tracer.startSpan('hr', { startTime: T0 }).end(T1);
      tracer.startSpan('ms', { startTime: epoch }).end(epoch + 250);
      tracer.startSpan('date', { startTime: new Date(epoch) }).end(new Date(epoch + 1));
      tracer.startSpan('end before start', { startTime: T1 }).end(T0);
    });
    expect(spans[3].duration).toEqual([0, 0]);
    // performance.now() inputs are read through the span's own clock offset: compare loosely.
    const { tracer, ended } = strata(new AlwaysOnSampler());
    const t = performance.now();
    const perfSpan = tracer.startSpan('perf', { startTime: t });
    // A performance.now() time must be in the past to read as one (else it is epoch ms).
    while (performance.now() <= t + 5);
    perfSpan.end(t + 5);
    const [span] = ended;
    const ms = (time: HrTime) => time[0] * 1e3 + time[1] / 1e6;
    expect(Math.abs(ms(span.startTime) - (performance.timeOrigin + t))).toBeLessThan(50);
    expect(ms(span.duration)).toBeCloseTo(5, 3);
  });

  it('measures a span without given times on the monotonic clock, from a wall-clock start', () => {
    const { tracer, ended } = strata(new AlwaysOnSampler());
    const before = Date.now();
    const span = tracer.startSpan('timed');
    const busyUntil = performance.now() + 3;
    while (performance.now() < busyUntil);
    span.end();
    const [done] = ended as StrataSpan[];
    const startMs = done.startTime[0] * 1e3 + done.startTime[1] / 1e6;
    expect(startMs).toBeGreaterThanOrEqual(before);
    expect(startMs).toBeLessThanOrEqual(Date.now());
    const durationMs = done.duration[0] * 1e3 + done.duration[1] / 1e6;
    expect(durationMs).toBeGreaterThanOrEqual(3);
    expect(done._startTimeProvided).toBe(false);
    // Many short spans: every duration is exactly end − start, in normalized HrTime.
    for (let i = 0; i < 500; i++) tracer.startSpan(`short ${i}`).end();
    for (const s of ended) {
      expect(s.duration).toEqual(hrTimeDuration(s.startTime, s.endTime));
      expect(s.duration[1]).toBeGreaterThanOrEqual(0);
      expect(s.duration[1]).toBeLessThan(1e9);
      expect(s.endTime[1]).toBeLessThan(1e9);
    }
    expect(done._performanceStartTime).toBeLessThan(busyUntil);
  });

  it('returns non-recording spans when suppressed or dropped, and passes sampler state on', () => {
    const byNamePrefix: Sampler = {
      shouldSample: (_ctx, _traceId, name) =>
        name.startsWith('drop')
          ? { decision: SamplingDecision.NOT_RECORD, traceState: createTraceState('s=1') }
          : name.startsWith('record')
            ? { decision: SamplingDecision.RECORD, attributes: { 'sampler.added': 'yes' } }
            : { decision: SamplingDecision.RECORD_AND_SAMPLED },
    };
    const contexts: string[][] = [];
    const spans = expectSame((tracer) => {
      const dropped = tracer.startSpan('drop me', fixed);
      const suppressed = tracer.startSpan('suppressed', fixed, suppressTracing(ROOT_CONTEXT));
      contexts.push([
        String(dropped.isRecording()),
        dropped.spanContext().traceState?.serialize() ?? '',
        String(suppressed.isRecording()),
        suppressed.spanContext().traceId,
      ]);
      tracer.startSpan('child of dropped', fixed, trace.setSpan(ROOT_CONTEXT, dropped)).end(T1);
      tracer.startSpan('record only', fixed).end(T1);
    }, byNamePrefix);
    expect(contexts[1]).toEqual(contexts[0]);
    expect(contexts[0]).toEqual(['false', 's=1', 'false', '0'.repeat(32)]);
    expect(spans.map((s) => [s.name, s.traceFlags])).toEqual([
      ['child of dropped', TraceFlags.SAMPLED],
      ['record only', TraceFlags.NONE],
    ]);
    expect(spans[1].attributes).toEqual({ 'sampler.added': 'yes' });
  });

  it('starts active spans with each of the API call forms', () => {
    const results = [sdk, strata].map((make) => {
      const { tracer, ended } = make(new AlwaysOnSampler());
      const seen: boolean[] = [];
      const check = (span: Span) => {
        seen.push(trace.getActiveSpan() === span);
        span.end(T1);
        return 'returned';
      };
      const returns = [
        tracer.startActiveSpan('two', check),
        tracer.startActiveSpan('three', fixed, check),
        tracer.startActiveSpan('four', fixed, ROOT_CONTEXT, check),
      ];
      return { seen, returns, names: ended.map((s) => s.name) };
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[1].seen).toEqual([true, true, true]);
  });

  it('hands spans to its processor at start with the parent context, and caches tracers', () => {
    const { processor, started, ended } = recorder();
    const provider = new StrataTracerProvider({
      resource,
      sampler: new AlwaysOnSampler(),
      idGenerator: new CountingIds(),
      spanProcessor: processor,
    });
    const tracer = provider.getTracer('x', '1');
    expect(provider.getTracer('x', '1')).toBe(tracer);
    expect((tracer as unknown as { instrumentationScope: unknown }).instrumentationScope).toEqual({
      name: 'x',
      version: '1',
      schemaUrl: undefined,
    });
    expect(provider.getTracer('x', '2')).not.toBe(tracer);
    const parent = trace.setSpan(ROOT_CONTEXT, tracer.startSpan('parent'));
    const child = tracer.startSpan('child', {}, parent);
    expect(started.map((s) => s.span)).toEqual([trace.getSpan(parent), child]);
    expect(started[1].ctx).toBe(parent);
    child.end();
    expect(ended).toEqual([child]);
    expect(child).toBeInstanceOf(StrataSpan);
  });

  it('prints the span itself in console.log, not the processor and resource behind it', () => {
    const { tracer } = strata(new AlwaysOnSampler());
    const span = tracer.startSpan('GET /orders', { ...fixed, attributes: { a: 1 } });
    const shown = inspect(span, { depth: 4 });
    expect(shown).toContain("name: 'GET /orders'");
    expect(shown).toContain('attributes: { a: 1 }');
    expect(shown).not.toContain('processor');
    expect(shown).not.toContain('checkout');
  });

  it('resolves forceFlush by its deadline when the processor hangs', async () => {
    const provider = new StrataTracerProvider({
      resource,
      sampler: new AlwaysOnSampler(),
      idGenerator: new CountingIds(),
      spanProcessor: { ...recorder().processor, forceFlush: () => new Promise(() => undefined) },
    });
    await expect(provider.forceFlush({ timeoutMillis: 20 })).resolves.toBeUndefined();
  });

  it('turns a processor that throws on flush or shutdown into a rejected promise', async () => {
    const boom = () => {
      throw new Error('processor failed');
    };
    const provider = new StrataTracerProvider({
      resource,
      sampler: new AlwaysOnSampler(),
      idGenerator: new CountingIds(),
      spanProcessor: { ...recorder().processor, forceFlush: boom, shutdown: boom },
    });
    await expect(provider.forceFlush()).rejects.toThrow('processor failed');
    await expect(provider.shutdown()).rejects.toThrow('processor failed');
  });
});
