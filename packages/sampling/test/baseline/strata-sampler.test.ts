import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import {
  createComposableParentThresholdSampler,
  createComposableProbabilitySampler,
  createCompositeSampler,
} from '@opentelemetry/sampler-composite';
import {
  InMemorySpanExporter,
  SamplingDecision,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { createStrataSampler } from '../../src/baseline/strata-sampler';

const randomTraceId = (): string => randomBytes(16).toString('hex');
const sample = (
  sampler: ReturnType<typeof createStrataSampler>,
  traceId: string,
  context = ROOT_CONTEXT,
) => sampler.shouldSample(context, traceId, 'GET /', SpanKind.SERVER, {}, []);
const remoteParent = (traceId: string, sampled: boolean, traceState?: string) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: '1122334455667788',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
    traceState: traceState === undefined ? undefined : new TraceState(traceState),
  });
/** A trace id whose randomness (low 56 bits) is the given 14 hex digits. */
const traceIdWithRandomness = (hex14: string): string => `0123456789abcdef01${hex14}`;

describe('createStrataSampler', () => {
  describe('toString', () => {
    it.each([
      [0.1, 'StrataSampler(baseline=0.1, threshold=e6666666666666)'],
      [0.5, 'StrataSampler(baseline=0.5, threshold=8)'],
      [1, 'StrataSampler(baseline=1, threshold=0)'],
      [0, 'StrataSampler(baseline=0, threshold=max)'],
      [2, 'StrataSampler(baseline=1, threshold=0)'],
      [Number.NaN, 'StrataSampler(baseline=0, threshold=max)'],
    ])('baseline %s prints %s', (baseline, expected) => {
      expect(createStrataSampler({ baseline }).toString()).toBe(expected);
    });
  });

  describe('kept fraction over 20,000 random trace ids', () => {
    it.each([0.5, 0.25, 0.1, 0.05, 0.01, 0.001])('probability %s is within 3σ', (p) => {
      const sampler = createStrataSampler({ baseline: p });
      const n = 20_000;
      let kept = 0;
      for (let i = 0; i < n; i++) {
        const result = sample(sampler, randomTraceId());
        // Strata records every span: a baseline drop is RECORD, never NOT_RECORD.
        expect(result.decision).not.toBe(SamplingDecision.NOT_RECORD);
        if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) kept++;
      }
      const sigma = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(kept - n * p)).toBeLessThanOrEqual(3 * sigma);
    });
  });

  describe('new traces (no parent)', () => {
    it.each([0.1, 0.5, 0.001, 0.999, 0, 1])(
      'decides baseline %s exactly as the composite sampler does, at and around the threshold',
      (baseline) => {
        const composite = createCompositeSampler(
          createComposableParentThresholdSampler(createComposableProbabilitySampler(baseline)),
        );
        const sampler = createStrataSampler({ baseline });
        const threshold = (1n << 56n) - BigInt(Math.round(baseline * 2 ** 56));
        const edges = [threshold - 1n, threshold, threshold + 1n]
          .filter((t) => t >= 0n && t < 1n << 56n)
          .map((t) => traceIdWithRandomness(t.toString(16).padStart(14, '0')));
        for (const traceId of [...edges, ...Array.from({ length: 5000 }, randomTraceId)]) {
          const ours = sample(sampler, traceId);
          const theirs = sample(composite as never, traceId);
          const kept = (theirs.decision as number) === SamplingDecision.RECORD_AND_SAMPLED;
          expect(ours.decision, traceId).toBe(
            kept ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.RECORD,
          );
          expect(ours.traceState?.serialize(), traceId).toBe(
            kept ? theirs.traceState?.serialize() : undefined,
          );
        }
      },
    );
  });

  describe('consistency', () => {
    it('gives the same decision for the same trace id in two independent samplers', () => {
      const a = createStrataSampler({ baseline: 0.1 });
      const b = createStrataSampler({ baseline: 0.1 });
      let kept = 0;
      for (let i = 0; i < 5000; i++) {
        const id = randomTraceId();
        const decision = sample(a, id).decision;
        expect(sample(b, id).decision).toBe(decision);
        if (decision === SamplingDecision.RECORD_AND_SAMPLED) kept++;
      }
      expect(kept).toBeGreaterThan(0);
    });

    it.each([
      // randomness ≥ threshold ⇒ kept; e6666666666666 is the threshold of 0.1
      ['e6666666666666', true],
      ['ffffffffffffff', true],
      ['e6666666666665', false],
      ['00000000000000', false],
    ])('randomness %s at 0.1 is kept: %s', (randomness, kept) => {
      const result = sample(
        createStrataSampler({ baseline: 0.1 }),
        traceIdWithRandomness(randomness),
      );
      expect(result.decision === SamplingDecision.RECORD_AND_SAMPLED).toBe(kept);
    });
  });

  describe('tracestate', () => {
    it('writes ot=th on a kept trace and no th on a recorded-only one', () => {
      const sampler = createStrataSampler({ baseline: 0.1 });
      const kept = sample(sampler, traceIdWithRandomness('ffffffffffffff'));
      expect(kept.traceState?.get('ot')).toBe('th:e6666666666666');
      const dropped = sample(sampler, traceIdWithRandomness('00000000000000'));
      expect(dropped.decision).toBe(SamplingDecision.RECORD);
      expect(dropped.traceState?.get('ot') ?? '').not.toContain('th:');
    });

    it('honours a remote parent th and preserves other entries', () => {
      const sampler = createStrataSampler({ baseline: 0.01 });
      const id = traceIdWithRandomness('90000000000000');
      const result = sample(sampler, id, remoteParent(id, true, 'vendor=x,ot=th:8'));
      expect(result.decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(result.traceState?.get('ot')).toBe('th:8');
      expect(result.traceState?.get('vendor')).toBe('x');
    });

    it('drops th when the parent th rejects the randomness, keeping other members', () => {
      const sampler = createStrataSampler({ baseline: 1 });
      const id = traceIdWithRandomness('10000000000000');
      const result = sample(sampler, id, remoteParent(id, false, 'vendor=x,ot=th:8;foo:bar'));
      expect(result.decision).toBe(SamplingDecision.RECORD);
      expect(result.traceState?.get('ot')).toBe('foo:bar');
      expect(result.traceState?.get('vendor')).toBe('x');
    });

    it('follows a remote parent without th: not sampled stays recorded only', () => {
      const sampler = createStrataSampler({ baseline: 1 });
      const id = traceIdWithRandomness('ffffffffffffff');
      expect(sample(sampler, id, remoteParent(id, false)).decision).toBe(SamplingDecision.RECORD);
      expect(sample(sampler, id, remoteParent(id, true)).decision).toBe(
        SamplingDecision.RECORD_AND_SAMPLED,
      );
    });

    it.each([
      ['ffffffffffffff', '00000000000000', true],
      ['00000000000000', 'ffffffffffffff', false],
    ])('takes randomness from rv %s over the trace id (%s): kept %s', (rv, idRandomness, kept) => {
      const sampler = createStrataSampler({ baseline: 0.5 });
      const id = traceIdWithRandomness(idRandomness);
      const result = sample(sampler, id, remoteParent(id, true, `ot=th:8;rv:${rv}`));
      expect(result.decision === SamplingDecision.RECORD_AND_SAMPLED).toBe(kept);
      expect(result.traceState?.get('ot')).toContain(`rv:${rv}`);
    });
  });

  describe('in a tracer provider', () => {
    it('propagates th to child spans of a kept root and records children of a dropped one', () => {
      const exporter = new InMemorySpanExporter();
      const provider = new TracerProvider({
        sampler: createStrataSampler({ baseline: 0.5 }),
        spanProcessors: [new SimpleSpanProcessor({ exporter })],
      });
      const tracer = provider.getTracer('test');
      let sampled = 0;
      let recordedOnly = 0;
      for (let i = 0; i < 200; i++) {
        const root = tracer.startSpan('root');
        const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
        expect(child.isRecording()).toBe(true);
        const rootContext = root.spanContext();
        expect(child.spanContext().traceFlags).toBe(rootContext.traceFlags);
        if (rootContext.traceFlags & TraceFlags.SAMPLED) {
          sampled++;
          expect(child.spanContext().traceState?.get('ot')).toBe('th:8');
        } else {
          recordedOnly++;
          expect(child.spanContext().traceState?.get('ot')).toBeUndefined();
        }
        child.end();
        root.end();
      }
      expect(sampled).toBeGreaterThan(50);
      expect(recordedOnly).toBeGreaterThan(50);
    });
  });
});
