import type { Fields } from './schema-fields';

/** The exporters section. */
export function exportersSchema({ z, str, count, port, duration, url, onOff, on }: Fields) {
  const otlpFields = {
    endpoint: url(
      'Base URL of the OTLP/HTTP receiver; /v1/traces and /v1/metrics are appended. Else OTEL_EXPORTER_OTLP_ENDPOINT. Default http://localhost:4318.',
    ).optional(),
    url: url(
      'Full URL for this signal, used as is (nothing appended). Else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.',
    ).optional(),
    protocol: z
      .enum(['http/protobuf', 'http/json'], { error: 'http/protobuf or http/json' })
      .describe(
        'OTLP encoding over HTTP (gRPC is not supported). Else OTEL_EXPORTER_OTLP_PROTOCOL. Default http/protobuf.',
      )
      .optional(),
    headers: z
      .record(z.string(), z.string({ error: 'a string (quote numbers)' }))
      .describe('Headers sent with every export request. Else OTEL_EXPORTER_OTLP_HEADERS.')
      .optional(),
    timeout: duration(
      'Export request timeout. Else OTEL_EXPORTER_OTLP_TIMEOUT. Default 10s.',
    ).optional(),
  };
  return z
    .strictObject({
      traces: z
        .enum(['otlp', 'file', 'console', 'none'], { error: 'otlp, file, console or none' })
        .describe('Trace exporter. Else OTEL_TRACES_EXPORTER. Default otlp.')
        .optional(),
      otlp: z.strictObject(otlpFields).describe('OTLP/HTTP export.').optional(),
      file: z
        .strictObject({
          path: str(
            'OTLP JSON lines file, one export request per line. Default .strata/traces.jsonl.',
          ).optional(),
        })
        .optional(),
      queue: z
        .strictObject({
          max_spans: count(
            'Spans waiting for export, at most; more are dropped and counted. Default 2048.',
          ).optional(),
          max_batch: count('Spans per export request, at most. Default 512.').optional(),
          delay: duration('Longest wait before a partial batch is sent. Default 1s.').optional(),
        })
        .optional(),
      metrics: z
        .strictObject({
          prometheus: onOff({
            host: str(
              'Listen address. Else OTEL_EXPORTER_PROMETHEUS_HOST. Default 0.0.0.0.',
            ).optional(),
            port: port('Else OTEL_EXPORTER_PROMETHEUS_PORT. Default 9464.').optional(),
          })
            .transform(on)
            .describe('Prometheus pull endpoint (/metrics); false turns it off.')
            .optional(),
          otlp: onOff({
            ...otlpFields,
            interval: duration('Export interval. Default 60s.').optional(),
          })
            .transform(on)
            .describe('OTLP metrics; true uses exporters.otlp. Default false.')
            .optional(),
        })
        .optional(),
    })
    .optional();
}
