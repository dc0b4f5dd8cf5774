import { createServer, type Server } from 'node:http';
import { diag } from '@opentelemetry/api';
import type { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import { report } from '../diag-logger';
import { addUnitSuffixes } from './unit-suffix';

/** The `/metrics` endpoint: a pull reader for the meter provider and the HTTP server serving it. */
export interface PrometheusEndpoint {
  reader: PrometheusExporter;
  server: Server;
}

/**
 * Serve `/metrics` from our own server (unref'd, so it never keeps the
 * process alive) with Prometheus unit suffixes added. A port already taken
 * is reported once; the application runs on.
 */
export function startPrometheusEndpoint(
  host: string,
  port: number,
  metricProducers: MetricProducer[] = [],
): PrometheusEndpoint {
  const prom =
    require('@opentelemetry/exporter-prometheus') as typeof import('@opentelemetry/exporter-prometheus');
  const reader = new prom.PrometheusExporter({ preventServerStart: true, metricProducers });
  const serializer: PrometheusSerializer = new prom.PrometheusSerializer('', false);
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      response.statusCode = 404;
      response.end('Not found: Strata serves metrics on /metrics\n');
      return;
    }
    reader
      .collect()
      .then(({ resourceMetrics, errors }) => {
        if (errors.length) diag.debug('strata: metric collection errors', ...errors);
        response.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
        response.end(serializer.serialize(addUnitSuffixes(resourceMetrics)));
      })
      .catch((err) => {
        response.statusCode = 500;
        response.end(`# metrics collection failed: ${String(err)}\n`);
      });
  });
  server.unref();
  server.on('error', (err: NodeJS.ErrnoException) => {
    report(
      `the metrics endpoint http://${host}:${port}/metrics could not start (${err.code ?? err.message}); ` +
        'set exporters.metrics.prometheus.port in strata.yaml (or OTEL_EXPORTER_PROMETHEUS_PORT) to a free port. The application runs on.',
    );
  });
  server.listen({ host, port });
  return { reader, server };
}
