import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

// Option types match @strata/config's `SamplingConfig` structurally (values
// normalised: durations in ms, sizes in bytes, rates per second); declared
// here so @strata/sampling does not depend on @strata/config.

/** A value compared by a rule's `attributes` condition. */
export type RuleValue = string | number | boolean;

/** Keep (or, with `keep: false`, exclude from outlier capture) a local trace when every condition in `when` holds. */
export interface OutlierRule {
  name: string;
  when: {
    /** Glob over the route (`http.route`, else `url.path`); `*` is any run of characters. */
    route?: string;
    /** HTTP method, case-insensitive. */
    method?: string;
    /** Span name glob, matched against any span of the local trace. */
    span?: string;
    /** Attribute equality on the local root. */
    attributes?: Record<string, RuleValue>;
    /** Layer name; with `over`, the layer's time in the request must exceed it. */
    layer?: string;
    /** Duration, ms: the request (or `layer`'s time) exceeds it. */
    over?: number;
    /** HTTP status code or class (`5xx`). */
    status?: number | string;
  };
  keep: boolean;
}

/** Adaptive "slow" threshold per route: a percentile over a sliding window, clamped. */
export interface SlowOptions {
  percentile: number;
  /** Sliding window, ms. */
  window: number;
  /** Never slow below this, ms. */
  floor: number;
  /** Always slow above this, ms (and the threshold during warm-up). */
  ceiling: number;
}

/** `sampling.outliers` of strata.yaml. */
export interface OutlierOptions {
  errors: boolean;
  slow: false | SlowOptions;
  rules: OutlierRule[];
  /** Outlier traces kept per second, at most. */
  budget: number;
  /** Distinct routes with their own window (least recently seen evicted). Default 256. */
  max_routes?: number;
  /** Durations a route's window needs before its percentile is used (warm-up). Default 50. */
  min_samples?: number;
}

/** `sampling.buffer` of strata.yaml. */
export interface BufferOptions {
  max_spans: number;
  max_bytes: number;
  /** Wait after the local root ends for late children, ms. */
  grace: number;
  /** A local root still open after this long is decided without waiting, ms. */
  root_timeout: number;
}

/** `sampling` of strata.yaml. */
export interface SamplingOptions {
  baseline: number;
  outliers: OutlierOptions;
  buffer: BufferOptions;
  tell_caller: boolean;
}

/** Why a local trace is kept (`strata.sampling.reason`): baseline, error, slow, rule:<name>, callee, caller. */
export type KeepReason = 'baseline' | 'error' | 'slow' | 'callee' | 'caller' | `rule:${string}`;

/** The spans of one trace inside this process that share a local root. */
export interface LocalTrace {
  /** The local root (parent invalid or remote); it may still be open when `complete` is false. */
  readonly root: ReadableSpan;
  /** Every ended span of the local trace, the root included when it has ended. */
  readonly spans: readonly ReadableSpan[];
  /** False when decided early (buffer full, root timeout, flush): the root or children may still be open. */
  readonly complete: boolean;
}

/** What the consumer hook learned about a local trace (layer attribution). */
export interface LocalTraceFacts {
  /** Time per layer in the request, ms (for `layer` + `over` rules). */
  layerMs?: Record<string, number>;
}

/** Plain data the outlier decision reads about one local trace. */
export interface TraceSummary {
  /** `http.route` of the root. */
  route?: string;
  /** `url.path` of the root (rules' `route` glob falls back to it). */
  path?: string;
  /** Root span name (the window key of roots without method and route). */
  name?: string;
  /** `http.request.method` of the root. */
  method?: string;
  /** HTTP response status code of the root, if any. */
  status?: number;
  /** Root span status is ERROR. */
  error: boolean;
  durationMs: number;
  rootAttributes: Attributes;
  /** Spans of the local trace (only `name` is read, for `span` rules). */
  spans?: readonly { readonly name: string }[];
  layerMs?: Record<string, number>;
  /** The consistent baseline sampled the trace (the root is sampled). */
  baseline: boolean;
  /** Keep already committed (and paid from the budget) before the end: `markKeep` or the caller's mark. */
  marked?: KeepReason;
}

/** The outcome for one local trace; `reason` says what the trace was (`none` for ordinary traffic). */
export interface TraceDecision {
  keep: boolean;
  reason: KeepReason | 'none';
}

/** Input of the response-time check (`Server-Timing` keep signal). */
export interface ProvisionalSummary {
  route?: string;
  path?: string;
  method?: string;
  status?: number;
  elapsedMs: number;
  rootAttributes?: Attributes;
}

/** Where kept spans go: the node package's bounded export queue (never an SDK exporter directly). */
export interface LocalTraceExporter {
  export(spans: ReadableSpan[]): void;
  forceFlush?(): Promise<void>;
}
