import { context, diag, type Meter, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { StrataConfig } from '@strata/config';
import {
  LAYER_DURATION_BUCKETS,
  LAYER_DURATION_DESCRIPTION,
  LAYER_DURATION_METRIC,
} from '@strata/layers';
import { createExportQueue } from './export/export-queue';
import { createTraceExporter } from './export/trace-exporter';
import { CATALOG, type CatalogEntry } from './instrumentations/catalog';
import { applicationDirs } from './instrumentations/find-module';
import { HTTP_DURATION_BUCKETS } from './instrumentations/http-server/duration-histogram';
import { deferUntilRequired, patchesBuiltinsOnly } from './instrumentations/lazy-load';
import { selectInstrumentations } from './instrumentations/select';
import { createMetrics } from './metrics/create-metrics';
import { createHistogramCells } from './metrics/histogram-cells';
import { createPipeline } from './pipeline/create-pipeline';
import { createKeepSignals } from './pipeline/keep-signals';
import { buildResourceAttributes } from './resource';
import { limitYoungGeneration } from './runtime/young-generation';
import { installShutdownHooks } from './shutdown';
import type { StartOptions, StrataHandle } from './start';
import { PooledIdGenerator } from './trace/pooled-id-generator';
import { StrataTracerProvider } from './trace/strata-tracer-provider';

/**
 * Build and register the tracer and meter providers, the pipeline and the
 * instrumentations. A failure half-way undoes what was done (globals, the
 * metrics port, enabled instrumentations) before it is reported, so "runs
 * without telemetry" holds.
 */
export function assemble(config: StrataConfig, options: StartOptions): StrataHandle {
  const undo: (() => void)[] = [];
  try {
    return assembleSteps(config, options, undo);
  } catch (err) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Best effort: the first error is the one reported.
      }
    }
    throw err;
  }
}

function assembleSteps(
  config: StrataConfig,
  options: StartOptions,
  undo: (() => void)[],
): StrataHandle {
  const resource = resourceFromAttributes(buildResourceAttributes(config));
  // Request-path histograms aggregate in place; the readers collect them.
  const histograms = createHistogramCells();
  const metricsSetup = createMetrics(config, resource, [histograms.producer]);
  undo.push(() =>
    (metricsSetup?.prometheusServer as { close?: () => void } | undefined)?.close?.(),
  );
  const meter: Meter | undefined = metricsSetup?.meterProvider.getMeter('@strata/node');
  const cwd = process.cwd();

  const exporter = createTraceExporter(config, cwd);
  const { queue } = config.exporters;
  const exportQueue = exporter
    ? createExportQueue(exporter, {
        maxSpans: queue.max_spans,
        maxBatch: queue.max_batch,
        delay: queue.delay,
        timeout: config.exporters.otlp.timeout,
        meter,
      })
    : undefined;

  const pipeline = createPipeline(config, {
    exportQueue,
    meter,
    layerDurationHistogram: meter
      ? histograms.histogram(LAYER_DURATION_METRIC, {
          description: LAYER_DURATION_DESCRIPTION,
          unit: 's',
          boundaries: LAYER_DURATION_BUCKETS,
          scope: '@strata/node',
        })
      : undefined,
  });
  const tracerProvider = new StrataTracerProvider({
    resource,
    idGenerator: new PooledIdGenerator(),
    sampler: pipeline.sampler,
    spanProcessor: pipeline.processor,
  });

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    pipeline.wrapPropagator(
      new CompositePropagator({
        propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
      }),
    ),
  );
  trace.setGlobalTracerProvider(tracerProvider);
  if (metricsSetup) metrics.setGlobalMeterProvider(metricsSetup.meterProvider);
  undo.push(() => {
    trace.disable();
    context.disable();
    propagation.disable();
    metrics.disable();
  });

  undo.push(limitYoungGeneration(config.runtime.young_generation_limit));

  const selected = selectInstrumentations(CATALOG, config, applicationDirs());
  options.registerEsmHooks?.(selected.flatMap((entry) => entry.modules));
  const prometheusServer = metricsSetup?.prometheusServer;
  const keepSignals = createKeepSignals(pipeline.processor, config.sampling.tell_caller);
  const instrumentationContext = {
    isOwnServer: (server: unknown) => server !== undefined && server === prometheusServer,
    keepSignals,
    serverDurationHistogram: meter
      ? histograms.histogram('http.server.request.duration', {
          description: 'Duration of HTTP server requests.',
          unit: 's',
          boundaries: HTTP_DURATION_BUCKETS,
          scope: '@opentelemetry/instrumentation-http',
        })
      : undefined,
    clientDurationHistogram: meter
      ? histograms.histogram('http.client.request.duration', {
          description: 'Measures the duration of outbound HTTP requests.',
          unit: 's',
          boundaries: HTTP_DURATION_BUCKETS,
          scope: '@opentelemetry/instrumentation-undici',
        })
      : undefined,
  };
  const activate = (entries: readonly CatalogEntry[]) =>
    registerInstrumentations({
      instrumentations: entries.flatMap((entry) => entry.create(config, instrumentationContext)),
      tracerProvider,
      meterProvider: metricsSetup?.meterProvider,
    });
  // Under --import every module may arrive through the ESM loader: load all
  // selected instrumentations now. Under --require, only the builtin ones.
  const eager = options.registerEsmHooks ? selected : selected.filter(patchesBuiltinsOnly);
  undo.push(activate(eager));
  const activateDeferred = deferUntilRequired(
    selected.filter((entry) => !eager.includes(entry)),
    (entry) => activate([entry]),
  );

  const flush = async (timeoutMs = config.shutdown.timeout) => {
    const until = Date.now() + timeoutMs;
    await tracerProvider.forceFlush({ timeoutMillis: timeoutMs }).catch(() => undefined);
    await exportQueue?.flush(Math.max(0, until - Date.now()));
    await metricsSetup?.meterProvider
      .forceFlush({ timeoutMillis: Math.max(1, until - Date.now()) })
      .catch(() => undefined);
  };
  // Signal listeners stay until the signal is re-raised: signal-exit (in many
  // apps) exits at once when it sees itself alone.
  const close = async (timeoutMs = config.shutdown.timeout) => {
    const until = Date.now() + timeoutMs;
    // In order: decide every local trace (open ones too) so kept spans reach
    // the queue, send the queue within what is left of the deadline, then
    // abandon what is still in flight.
    await tracerProvider.shutdown().catch(() => undefined);
    await exportQueue?.flush(Math.max(0, until - Date.now()));
    await Promise.allSettled([
      exportQueue?.shutdown(100),
      metricsSetup?.meterProvider.shutdown({ timeoutMillis: 500 }),
    ]);
  };
  const removeHooks = installShutdownHooks(flush, config.shutdown.timeout, close);
  let esmHooks = Boolean(options.registerEsmHooks);
  return {
    config,
    flush,
    async shutdown(timeoutMs?: number) {
      removeHooks();
      await close(timeoutMs);
    },
    registerEsmHooks(register) {
      if (esmHooks) return;
      esmHooks = true;
      try {
        register(selected.flatMap((entry) => entry.modules));
        // ES modules do not pass through require(): nothing can stay deferred.
        activateDeferred();
      } catch (err) {
        diag.debug('strata: registering the ESM hooks failed', err);
      }
    },
  };
}
