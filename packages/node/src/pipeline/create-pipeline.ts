import type { Attributes, Histogram, Meter, TextMapPropagator } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace';
import type { StrataConfig } from '@strata/config';
import { createLayerClassifier, createLayerMetrics, type LayerClassifier } from '@strata/layers';
import {
  createKeepMarkPropagator,
  createLocalTraceProcessor,
  createOutlierDecider,
  createStrataSampler,
  type LocalTraceProcessor,
} from '@strata/sampling';
import { report } from '../diag-logger';
import type { ExportQueue } from '../export/export-queue';
import { markBeforeCall } from './keep-signals';
import { createLayerHook } from './layer-hook';
import { redactSpans } from './redact';

/** The span path from instrumentations to export: sampler, processor, propagator. */
export interface Pipeline {
  sampler: Sampler;
  processor: LocalTraceProcessor;
  wrapPropagator(propagator: TextMapPropagator): TextMapPropagator;
}

/**
 * Every span is recorded into the local-trace buffer; at local-root end the
 * layer hook attributes it (100% of traffic) and the outlier decider keeps or
 * drops it; kept spans go to the bounded export queue.
 */
export function createPipeline(
  config: StrataConfig,
  deps: {
    exportQueue: ExportQueue | undefined;
    meter: Meter | undefined;
    layerDurationHistogram?: Histogram<Attributes>;
  },
): Pipeline {
  const { sampling } = config;
  const { exportQueue, meter } = deps;
  const processor = createLocalTraceProcessor({
    exporter: {
      export: (spans) => exportQueue?.export(redactSpans(spans)),
      // Kept spans reach the queue synchronously; sending it, within the
      // caller's deadline, is the caller's job (flush/close in assemble.ts).
      forceFlush: () => Promise.resolve(),
    },
    decider: createOutlierDecider({ ...sampling.outliers }),
    buffer: sampling.buffer,
    meter,
    onLocalTrace: createLayerHook(
      classifierOrDefault(config),
      meter
        ? createLayerMetrics(meter, {
            maxRoutes: config.layers.max_routes,
            durationHistogram: deps.layerDurationHistogram,
          })
        : undefined,
    ),
  });
  return {
    sampler: createStrataSampler({ baseline: sampling.baseline }),
    processor,
    // Marked already (an error, the callee, our caller), or a rule on what is known at call time matches.
    wrapPropagator: (propagator) =>
      createKeepMarkPropagator(
        propagator,
        (span, ctx) => processor.isMarkedKeep(span) || markBeforeCall(processor, span, ctx),
      ),
  };
}

function classifierOrDefault(config: StrataConfig): LayerClassifier {
  try {
    return createLayerClassifier(config.layers.rules);
  } catch (err) {
    report(`layers.rules ignored: ${(err as Error).message}`);
    return createLayerClassifier();
  }
}
