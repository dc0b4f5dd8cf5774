/** One span as the report reads it, whatever the source (OTLP JSON file or Jaeger API). */
export interface ReportSpan {
  traceId: string;
  spanId: string;
  /** '' when the span has no parent. */
  parentSpanId: string;
  /** True when the parent is known to be in another process (OTLP is-remote flag). */
  remoteParent: boolean;
  service: string;
  name: string;
  /** 'server', 'client', 'internal', 'producer', 'consumer' or 'unspecified'. */
  kind: string;
  /** Start, milliseconds since the epoch. */
  startMs: number;
  durationMs: number;
  attributes: Record<string, string | number | boolean>;
  /** W3C tracestate ('' when none). */
  traceState: string;
  error: boolean;
}

/** Time in one layer of a route's requests. */
export interface LayerStats {
  layer: string;
  /** Fraction of the route's time spent in this layer (0..1). */
  share: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** Mean milliseconds per request in each layer, over one time bucket. */
export interface TimelineBucket {
  startMs: number;
  requests: number;
  layers: Record<string, number>;
}

/** One route (service + method + route) of the report. */
export interface RouteReport {
  service: string;
  route: string;
  /** Local traces kept for this route. */
  kept: number;
  /** Of those, kept by the baseline sample (carrying `th`). */
  baseline: number;
  /** Requests the route served, estimated from the baseline's adjusted counts (null: no baseline). */
  estimatedRequests: number | null;
  /** 'baseline' when the statistics come from the baseline sample, 'all-kept' (biased to outliers) otherwise. */
  basis: 'baseline' | 'all-kept';
  duration: { meanMs: number; p50Ms: number; p99Ms: number };
  /** Largest share first. */
  layers: LayerStats[];
  dominantLayer: string;
  timeline: TimelineBucket[];
}

/** A trace kept as an outlier (any reason but the baseline). */
export interface OutlierReport {
  traceId: string;
  reason: string;
  service: string;
  route: string;
  startMs: number;
  durationMs: number;
  dominantLayer: string;
  /** Share of the duration in the dominant layer (0..1). */
  dominantShare: number;
  layers: Record<string, number>;
  /** Other services that kept their part of the trace, with their reason. */
  alsoKept: string[];
  /** Link to the trace in Jaeger, when a Jaeger URL is known. */
  jaegerUrl?: string;
}

/** What was kept, and how many requests it stands for. */
export interface SamplingSummary {
  keptTraces: number;
  keptLocalTraces: number;
  baselineKept: number;
  /** Local traces kept, by `strata.sampling.reason`. */
  byReason: Record<string, number>;
  /** Distinct outlier traces (not kept by the baseline), by the reason of their primary root. */
  outliersByReason: Record<string, number>;
  /** End-to-end requests: the adjusted counts (1/p from `ot=th`) of the baseline traces, one per trace. */
  estimatedRequests: number;
  /** Baseline probabilities seen (from `th`). */
  probabilities: number[];
}

/** The whole report, as `--json` prints it. */
export interface Report {
  sources: string[];
  jaegerUrl?: string;
  window: { startMs: number; endMs: number; bucketMs: number };
  services: string[];
  routes: RouteReport[];
  outliers: OutlierReport[];
  sampling: SamplingSummary;
}
