import {
  createTraceState,
  diag,
  INVALID_TRACEID,
  isValidSpanId,
  TraceFlags,
  type TraceState,
  trace,
} from '@opentelemetry/api';
import {
  createComposableParentThresholdSampler,
  createComposableProbabilitySampler,
  createCompositeSampler,
} from '@opentelemetry/sampler-composite';
import { type Sampler, SamplingDecision, type SamplingResult } from '@opentelemetry/sdk-trace';
import { clampProbability, formatThreshold, thresholdDigits } from './threshold';

/** A new trace the baseline does not keep: recorded, no tracestate (shared: nobody writes it). */
const RECORD_ONLY: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD });

/** Options of the consistent baseline sampler. */
export interface StrataSamplerOptions {
  /** Probability (0..1) that a new trace is kept by the baseline. */
  baseline: number;
}

/**
 * The consistent probability baseline (`ot=th:…`, randomness from `rv` or the
 * trace id, parent-based), which records every span: where the baseline says
 * "drop", the span is RECORD (not sampled, no `th`) so tail outlier capture and
 * layer attribution still see it.
 */
export function createStrataSampler(options: StrataSamplerOptions): Sampler {
  const baseline = clampProbability(options.baseline);
  if (baseline !== options.baseline) {
    diag.warn(`Strata: sampling baseline ${options.baseline} is not in [0, 1], using ${baseline}`);
  }
  const composite = createCompositeSampler(
    createComposableParentThresholdSampler(createComposableProbabilitySampler(baseline)),
  );
  // For new traces: the rejection threshold as 14 hex digits, and the tracestate the composite
  // writes on one it keeps (`ot=th:<threshold>`, nothing else; a TraceState is immutable, so
  // every kept root shares it). At baseline 1 the threshold is all zeros (every root is kept,
  // `th:0`); undefined at 0, where no root is kept.
  const newTrace =
    baseline > 0
      ? {
          threshold: thresholdDigits(baseline),
          keptState: createTraceState(`ot=th:${formatThreshold(baseline)}`),
        }
      : undefined;
  const description = `StrataSampler(baseline=${baseline}, threshold=${formatThreshold(baseline) ?? 'max'})`;
  return {
    shouldSample(context, traceId, spanName, spanKind, attributes, links): SamplingResult {
      // A child of a local span inherits its decision and tracestate (what the
      // parent-threshold sampler concludes too), without the composite's
      // per-span tracestate parsing: most spans of a request take this path.
      // The SDK passes the parent's trace id only when it has found the parent valid: the
      // trace id check then costs a comparison instead of a second hex scan of both ids.
      const parent = trace.getSpanContext(context);
      if (
        parent !== undefined &&
        parent.isRemote !== true &&
        parent.traceId === traceId &&
        isValidSpanId(parent.spanId) &&
        traceId !== INVALID_TRACEID
      ) {
        return (parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED
          ? { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState: parent.traceState }
          : { decision: SamplingDecision.RECORD, traceState: parent.traceState };
      }
      // A new trace (no parent at all, the usual server span) is decided here, without the
      // composite's BigInt and tracestate parsing (about 10 µs a kept root under load).
      // Randomness is the trace id's last 14 hex digits; as strings of equal length they
      // compare like numbers.
      if (parent === undefined && traceId.length === 32 && traceId !== INVALID_TRACEID) {
        if (newTrace === undefined) return RECORD_ONLY;
        return traceId.slice(-14) < newTrace.threshold
          ? RECORD_ONLY
          : { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState: newTrace.keptState };
      }
      // sampler-composite carries its own copy of sdk-trace: compare the numeric decision.
      const result = composite.shouldSample(
        context,
        traceId,
        spanName,
        spanKind,
        attributes,
        links,
      );
      if ((result.decision as number) === SamplingDecision.RECORD_AND_SAMPLED) {
        return result as SamplingResult;
      }
      return { decision: SamplingDecision.RECORD, traceState: withoutThreshold(result.traceState) };
    },
    toString: () => description,
  };
}

/**
 * Remove `th` from the `ot` entry: a span that is not sampled must not claim an
 * adjusted count. sampler-composite leaves an incoming `ot` untouched when it
 * has nothing else to write (e.g. `ot=th:8` from a parent, randomness below it).
 */
function withoutThreshold(traceState: TraceState | undefined): TraceState | undefined {
  const ot = traceState?.get('ot');
  if (!ot?.includes('th:')) return traceState;
  const rest = ot
    .split(';')
    .filter((member) => !member.startsWith('th:'))
    .join(';');
  return rest ? traceState!.set('ot', rest) : traceState!.unset('ot');
}
