import { ROOT_CONTEXT, type Span, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { type ReadableSpan, TracerProvider } from '@opentelemetry/sdk-trace';
import { createStrataSampler } from '../../src/baseline/strata-sampler';
import {
  createLocalTraceProcessor,
  type LocalTraceProcessorOptions,
} from '../../src/local-trace/local-trace-processor';

/** A real tracer provider with the Strata sampler and the local-trace processor, exporting into arrays. */
export function setup(options: Partial<LocalTraceProcessorOptions> & { baseline?: number } = {}) {
  const batches: ReadableSpan[][] = [];
  const processor = createLocalTraceProcessor({
    exporter: { export: (spans) => void batches.push(spans) },
    ...options,
    buffer: { grace: 20, ...options.buffer },
  });
  const provider = new TracerProvider({
    sampler: createStrataSampler({ baseline: options.baseline ?? 1 }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('test');
  const exported = () => batches.flat();
  return { batches, exported, processor, provider, tracer };
}

/** Context of a child of `span`. */
export const under = (span: Span) => trace.setSpan(ROOT_CONTEXT, span);

/** Context of a remote parent (an incoming request). */
export function remote(traceId: string, traceState?: string, sampled = false) {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: '1122334455667788',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
    traceState: traceState === undefined ? undefined : new TraceState(traceState),
  });
}

export const fail = (span: Span) => span.setStatus({ code: SpanStatusCode.ERROR });
export const reasonOf = (span: ReadableSpan) => span.attributes['strata.sampling.reason'];
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TextMapSetter over a plain object. */
export const setter = {
  set(carrier: Record<string, string>, key: string, value: string) {
    carrier[key] = value;
  },
};
