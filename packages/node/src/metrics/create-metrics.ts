import type { Resource } from '@opentelemetry/resources';
import type { MeterProvider, MetricProducer, MetricReader } from '@opentelemetry/sdk-metrics';
import type { StrataConfig } from '@strata/config';
import { otlpSignalUrl } from '../export/trace-exporter';
import { startPrometheusEndpoint } from './prometheus-endpoint';

/** The meter provider with the readers strata.yaml asks for, and the Prometheus endpoint's server (to keep it untraced). */
export interface MetricsSetup {
  meterProvider: MeterProvider;
  /** The HTTP server behind `/metrics`, if any. */
  prometheusServer: unknown;
}

/** Prometheus pull endpoint and/or OTLP push, from `exporters.metrics`. Undefined when both are off. */
export function createMetrics(
  config: StrataConfig,
  resource: Resource,
  producers: MetricProducer[] = [],
): MetricsSetup | undefined {
  const { prometheus, otlp } = config.exporters.metrics;
  if (!prometheus && !otlp) return undefined;
  const sdk = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  const readers: MetricReader[] = [];
  let prometheusServer: unknown;
  if (prometheus) {
    const endpoint = startPrometheusEndpoint(prometheus.host, prometheus.port, producers);
    prometheusServer = endpoint.server;
    readers.push(endpoint.reader);
  }
  if (otlp) {
    const { OTLPMetricExporter } =
      otlp.protocol === 'http/json'
        ? (require('@opentelemetry/exporter-metrics-otlp-http') as typeof import('@opentelemetry/exporter-metrics-otlp-http'))
        : (require('@opentelemetry/exporter-metrics-otlp-proto') as typeof import('@opentelemetry/exporter-metrics-otlp-proto'));
    readers.push(
      new sdk.PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({
          url: otlpSignalUrl(otlp, 'metrics'),
          headers: otlp.headers,
          timeoutMillis: otlp.timeout,
        }),
        exportIntervalMillis: otlp.interval,
        exportTimeoutMillis: Math.min(otlp.timeout, otlp.interval),
        metricProducers: producers,
      }),
    );
  }
  return { meterProvider: new sdk.MeterProvider({ resource, readers }), prometheusServer };
}
