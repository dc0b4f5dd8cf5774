import { createContextKey, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasKeepMark, withKeepMark } from '../../src/signals/keep-mark';
import { createKeepMarkPropagator } from '../../src/signals/keep-mark-propagator';
import { setter } from '../helpers/provider';

const spanContext = (traceState?: TraceState) => ({
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.NONE,
  traceState,
});
const getter = {
  get: (carrier: Record<string, string>, key: string) => carrier[key],
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
};

describe('withKeepMark / hasKeepMark', () => {
  it('adds strata=k and keeps other entries', () => {
    const marked = withKeepMark(new TraceState('ot=th:8,vendor=x'));
    expect(marked.serialize()).toBe('strata=k,ot=th:8,vendor=x');
    expect(hasKeepMark(marked)).toBe(true);
    expect(withKeepMark(undefined).serialize()).toBe('strata=k');
  });

  it.each([
    ['strata=k', true],
    ['a=b,strata=k', true],
    ['strata=K', false],
    ['strata=keep', false],
    ['xstrata=k', false],
    ['', false],
  ])('%s → %s', (raw, expected) => {
    expect(hasKeepMark(new TraceState(raw))).toBe(expected);
  });

  it('never throws on any tracestate header', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        expect(typeof hasKeepMark(new TraceState(raw))).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
    expect(hasKeepMark(undefined)).toBe(false);
  });
});

describe('createKeepMarkPropagator', () => {
  const w3c = new W3CTraceContextPropagator();

  it('adds the mark to the outgoing tracestate of a marked local trace only', () => {
    const marked = new Set<string>(['00f067aa0ba902b7']);
    const propagator = createKeepMarkPropagator(w3c, (span) =>
      marked.has(span.spanContext().spanId),
    );
    const context = trace.setSpanContext(ROOT_CONTEXT, spanContext(new TraceState('ot=th:8')));
    const carrier: Record<string, string> = {};
    propagator.inject(context, carrier, setter);
    expect(carrier.tracestate).toBe('strata=k,ot=th:8');
    expect(carrier.traceparent).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');

    marked.clear();
    const plain: Record<string, string> = {};
    propagator.inject(context, plain, setter);
    expect(plain.tracestate).toBe('ot=th:8');
  });

  it('lets the callee see the mark on extract', () => {
    const propagator = createKeepMarkPropagator(w3c, () => true);
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext()), carrier, setter);
    const extracted = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, carrier, getter));
    expect(hasKeepMark(extracted?.traceState)).toBe(true);
    expect(propagator.fields()).toEqual(w3c.fields());
  });

  it('gives the predicate the outgoing context, so it can decide at call time', () => {
    const route = createContextKey('test route');
    const propagator = createKeepMarkPropagator(
      w3c,
      (_span, ctx) => ctx.getValue(route) === '/vip',
    );
    const base = trace.setSpanContext(ROOT_CONTEXT, spanContext());
    const vip: Record<string, string> = {};
    propagator.inject(base.setValue(route, '/vip'), vip, setter);
    expect(vip.tracestate).toBe('strata=k');
    const other: Record<string, string> = {};
    propagator.inject(base.setValue(route, '/other'), other, setter);
    expect(other.tracestate).toBeUndefined();
  });

  it('injects normally when the predicate throws', () => {
    const propagator = createKeepMarkPropagator(w3c, () => {
      throw new Error('boom');
    });
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext()), carrier, setter);
    expect(carrier.traceparent).toBeDefined();
    expect(carrier.tracestate).toBeUndefined();
  });
});
