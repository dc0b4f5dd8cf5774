import type { StrataConfig } from '@strata/config';
import { type Policy, samplingPolicies, type Unmapped } from './policies';

/** Options of {@link renderCollectorConfig}. */
export interface CollectorOptions {
  /** Jaeger's OTLP gRPC endpoint the gateway exports to. */
  jaeger: string;
  /** DNS name resolving to every gateway instance (a headless Service in Kubernetes). */
  gateway: string;
  /** Spans per trace assumed to turn the trace budget into spans/s. */
  spansPerTrace: number;
}

/** Defaults of {@link CollectorOptions}, matching deploy/kubernetes. */
export const COLLECTOR_DEFAULTS: CollectorOptions = {
  jaeger: 'jaeger:4317',
  gateway: 'strata-gateway-headless',
  spansPerTrace: 20,
};

/** A collector configuration: the four top-level sections a pipeline is wired from. */
export interface CollectorConfig {
  receivers: Record<string, unknown>;
  processors: Record<string, unknown>;
  exporters: Record<string, unknown>;
  extensions?: Record<string, unknown>;
  service: {
    extensions?: string[];
    pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }>;
  };
}

const otlpReceiver = {
  otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
};
const memoryLimiter = { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 };
const health = { health_check: { endpoint: '0.0.0.0:13133' } };

/** The agent tier (routes spans by trace id) and gateway tier (tail sampling, export to Jaeger). */
export function renderCollectorConfig(
  config: StrataConfig,
  options: CollectorOptions = COLLECTOR_DEFAULTS,
): { agent: CollectorConfig; gateway: CollectorConfig; policies: Policy[]; unmapped: Unmapped[] } {
  const { policies, unmapped } = samplingPolicies(config, options);
  const agent: CollectorConfig = {
    extensions: health,
    receivers: otlpReceiver,
    processors: { memory_limiter: memoryLimiter },
    exporters: {
      // Every span of a trace goes to the same gateway, so it decides on the whole trace.
      loadbalancing: {
        routing_key: 'traceID',
        protocol: { otlp: { tls: { insecure: true } } },
        resolver: { dns: { hostname: options.gateway, port: 4317 } },
      },
    },
    service: {
      extensions: ['health_check'],
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['memory_limiter'],
          exporters: ['loadbalancing'],
        },
      },
    },
  };
  const gateway: CollectorConfig = {
    extensions: health,
    receivers: otlpReceiver,
    processors: {
      memory_limiter: memoryLimiter,
      tail_sampling: {
        // Spans of one trace arrive from many services: wait longer than Strata's in-process grace.
        decision_wait: '10s',
        num_traces: 100000,
        expected_new_traces_per_sec: 1000,
        policies,
      },
      batch: {},
    },
    exporters: { 'otlp/jaeger': { endpoint: options.jaeger, tls: { insecure: true } } },
    service: {
      extensions: ['health_check'],
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'tail_sampling', 'batch'],
          exporters: ['otlp/jaeger'],
        },
      },
    },
  };
  return { agent, gateway, policies, unmapped };
}
