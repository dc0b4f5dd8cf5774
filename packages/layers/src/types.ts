import type { Attributes, Histogram } from '@opentelemetry/api';
/** One span of a local trace as plain data: what attribution and classification read. */
export interface LayerSpan {
  spanId: string;
  /** Parent within the same local trace, else undefined. */
  parentSpanId: string | undefined;
  name: string;
  /** `@opentelemetry/api` SpanKind number: INTERNAL 0, SERVER 1, CLIENT 2, PRODUCER 3, CONSUMER 4. */
  kind: number;
  /** Instrumentation scope name, e.g. `@opentelemetry/instrumentation-pg`. */
  scope: string;
  /** Integer nanoseconds from a common origin (the caller makes them relative to the root start). */
  start: number;
  end: number;
  attributes: Readonly<Record<string, unknown>>;
  error?: boolean;
}

/** Attribute value a rule can compare with (same shape as `@strata/config`). */
export type LayerRuleValue = string | number | boolean;

/** A `layers.rules` entry of strata.yaml (structurally identical to `@strata/config`'s `LayerRule`). */
export interface LayerRule {
  when: {
    /** Instrumentation scope name glob (`*` any run of characters). */
    scope?: string;
    /** Span name glob. */
    span?: string;
    kind?: 'server' | 'client' | 'internal' | 'producer' | 'consumer';
    /** Every listed attribute must equal the span's (strict equality). */
    attributes?: Record<string, LayerRuleValue>;
  };
  layer: string;
  /** Without it, the system the built-in inference names. */
  system?: string;
}

/** The layer of a span and the system inside it (postgresql, redis, express, a peer host, …). */
export interface LayerClass {
  readonly layer: string;
  readonly system: string;
}

/** Classification function handed to `attributeLayers`. */
export type ClassifyFn = (span: LayerSpan) => LayerClass;

/** A configured classifier; `classify` returns interned objects (same layer and system ⇒ same object). */
export interface LayerClassifier {
  classify: ClassifyFn;
  toString(): string;
}

/** Time of one (layer, system) in one local trace, integer nanoseconds. */
export interface LayerTime {
  readonly layer: string;
  readonly system: string;
  /** Wall-share time; the `wall` of all entries sums exactly to the root's duration. */
  readonly wall: number;
  /** Self time: how long the group's spans were open with no open descendant, not shared. */
  readonly work: number;
}

/** Result of `attributeLayers`: entries sorted by layer, then system. */
export interface LayerAttribution {
  /** Root duration (ns), equal to the sum of `entries[i].wall`. */
  readonly total: number;
  readonly entries: readonly LayerTime[];
}

/** Request labels for the layer metrics. */
export interface RequestLabels {
  /** Low-cardinality route template (`http.route`), not a raw path. */
  route?: string;
  method?: string;
}

/** Options of `createLayerMetrics`. */
export interface LayerMetricsOptions {
  /** Distinct `http.route` values before new ones read `_other`. */
  maxRoutes: number;
  /** Distinct `layer.system` values per layer before new ones read `_other` (default 100). */
  maxSystems?: number;
  /**
   * Where `strata.request.layer.duration` is recorded, instead of a histogram
   * created on the meter: e.g. one aggregated in place and keyed by attribute
   * object (this module passes the same cached object per label set).
   */
  durationHistogram?: Histogram<Attributes>;
}

/** Records attribution results as OpenTelemetry metrics. */
export interface LayerMetrics {
  record(result: LayerAttribution, labels: RequestLabels): void;
}
