import { DEFAULT_DISABLED_INSTRUMENTATIONS } from './names';
import type { StrataConfig } from './types';

/** The default OTLP/HTTP endpoint (Jaeger v2 and the Collector take OTLP here). */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

/** A fresh copy of the built-in defaults: what Strata does with no file and no environment. */
export function defaultConfig(): StrataConfig {
  return {
    disabled: false,
    log_level: 'info',
    service: { name: 'unknown_service:node', attributes: {} },
    exporters: {
      traces: 'otlp',
      otlp: {
        endpoint: DEFAULT_OTLP_ENDPOINT,
        protocol: 'http/protobuf',
        headers: {},
        timeout: 10_000,
      },
      file: { path: '.strata/traces.jsonl' },
      // 2048 spans and batches of 512 are the OpenTelemetry BatchSpanProcessor defaults.
      queue: { max_spans: 2048, max_batch: 512, delay: 1000 },
      metrics: { prometheus: { host: '0.0.0.0', port: 9464 }, otlp: false },
    },
    sampling: {
      baseline: 0.1,
      outliers: {
        errors: true,
        slow: { percentile: 99, window: 60_000, floor: 50, ceiling: 2000 },
        rules: [],
        budget: 50,
      },
      // root_timeout 60 s: longer than common proxy and load-balancer request timeouts, so ordinary
      // requests always end first; anything still open is already past the slow ceiling, so waiting
      // longer (streams, long polls) would only hold buffer space without changing the decision.
      buffer: { max_spans: 100_000, max_bytes: 64 * 1e6, grace: 500, root_timeout: 60_000 },
      tell_caller: true,
    },
    layers: { rules: [], max_routes: 500 },
    instrumentations: {
      disabled: [...DEFAULT_DISABLED_INSTRUMENTATIONS],
      enabled: [],
      http: { ignore_paths: [] },
    },
    // Recording every span makes V8 grow its young generation to its maximum (128 MB on 64-bit)
    // under load; 16 MB costs no throughput and keeps over 100 MB of RSS (test/bench).
    runtime: { young_generation_limit: 16 * 1e6 },
    shutdown: { timeout: 5000 },
    strict: false,
  };
}

/** Interval of OTLP metric export when the file does not say, ms (the OpenTelemetry default). */
export const DEFAULT_METRICS_INTERVAL = 60_000;
