import type { Meter, TextMapPropagator } from '@opentelemetry/api';
import { AlwaysOnSampler, type ReadableSpan, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type { StrataConfig } from '@strata/config';
import type { ExportQueue } from './export/export-queue';

/** The span path from instrumentations to export: sampler, processor, propagator. */
export interface Pipeline {
  sampler: Sampler;
  processor: SpanProcessor;
  wrapPropagator(propagator: TextMapPropagator): TextMapPropagator;
}

/** Wire sampling and layer attribution between the instrumentations and the export queue. */
export function createPipeline(
  _config: StrataConfig,
  deps: { exportQueue: ExportQueue | undefined; meter: Meter | undefined },
): Pipeline {
  const { exportQueue } = deps;
  const processor: SpanProcessor = {
    onStart() {},
    onEnd(span: ReadableSpan) {
      exportQueue?.export([span]);
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  return { sampler: new AlwaysOnSampler(), processor, wrapPropagator: (p) => p };
}
