/**
 * The effective Strata configuration: strata.yaml merged with `OTEL_*`
 * variables and defaults. Key names are those of strata.yaml (a contract,
 * see DESIGN.md); values are normalised: durations in milliseconds, sizes in
 * bytes, rates per second.
 */
export interface StrataConfig {
  /** `OTEL_SDK_DISABLED=true` (or a bad file without `strict`): Strata does nothing. */
  disabled: boolean;
  /** Diagnostic log level, from `OTEL_LOG_LEVEL` (default `info`). */
  log_level: LogLevel;
  service: ServiceConfig;
  exporters: ExportersConfig;
  sampling: SamplingConfig;
  layers: LayersConfig;
  instrumentations: InstrumentationsConfig;
  runtime: RuntimeConfig;
  shutdown: { /** Flush deadline on SIGTERM/SIGINT/exit, ms. Default 5000. */ timeout: number };
  strict: boolean;
}

/** How Strata tunes the Node.js runtime it runs in. */
export interface RuntimeConfig {
  /**
   * Bytes V8's young generation (new space) may grow to; past it, growth stops.
   * 0: V8's own limit. Default 16 MB. Not applied when the process was started
   * with its own semi-space flags.
   */
  young_generation_limit: number;
}

export type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

export type AttributeValue = string | number | boolean;

export interface ServiceConfig {
  /** strata.yaml, else OTEL_SERVICE_NAME, else the application's package.json name, else `unknown_service:node`. */
  name: string;
  /** Resource attributes; OTEL_RESOURCE_ATTRIBUTES fills keys the file does not set. */
  attributes: Record<string, AttributeValue>;
}

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface OtlpConfig {
  /** Base URL; `/v1/traces` and `/v1/metrics` are appended. Default http://localhost:4318. */
  endpoint: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  /** Export request timeout, ms. Default 10000. */
  timeout: number;
  /**
   * Full URL of this signal's endpoint, used as is (nothing appended): from
   * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `..._METRICS_ENDPOINT` or `url:` in
   * the file. When set it wins over `endpoint`.
   */
  url?: string;
}

export interface ExportersConfig {
  traces: 'otlp' | 'file' | 'console' | 'none';
  otlp: OtlpConfig;
  file: { path: string };
  /** Bounded export queue between the sampler and the exporter. */
  queue: { max_spans: number; max_batch: number; delay: number };
  metrics: {
    prometheus: false | { host: string; port: number };
    otlp: false | (OtlpConfig & { interval: number });
  };
}

export interface SamplingConfig {
  /** Probability (0..1) of the consistent head sample. */
  baseline: number;
  outliers: {
    errors: boolean;
    slow: false | { percentile: number; window: number; floor: number; ceiling: number };
    rules: OutlierRule[];
    /** Outlier traces kept per second, at most. */
    budget: number;
  };
  buffer: {
    max_spans: number;
    max_bytes: number;
    /** Wait after the local root ends for late children, ms. */
    grace: number;
    /** A local root still open after this long is decided without waiting, ms. */
    root_timeout: number;
  };
  tell_caller: boolean;
}

/** Keep (or explicitly drop) a local trace when every condition in `when` holds. */
export interface OutlierRule {
  name: string;
  when: {
    /** Glob over the route (`http.route`, else the path); `*` any run of characters. */
    route?: string;
    method?: string;
    /** Span name glob (any span in the local trace). */
    span?: string;
    /** Attribute equality on the local root. */
    attributes?: Record<string, AttributeValue>;
    /** Layer name; with `over`, the layer's time in the request must exceed it. */
    layer?: string;
    /** Duration, ms: the request (or `layer`'s time) exceeds it. */
    over?: number;
    /** HTTP status code or class (`5xx`). */
    status?: number | string;
  };
  keep: boolean;
}

export interface LayersConfig {
  rules: LayerRule[];
  /** Distinct `http.route` label values before new ones read `_other`. */
  max_routes: number;
}

export interface LayerRule {
  when: {
    /** Instrumentation scope name glob. */
    scope?: string;
    /** Span name glob. */
    span?: string;
    kind?: 'server' | 'client' | 'internal' | 'producer' | 'consumer';
    attributes?: Record<string, AttributeValue>;
  };
  layer: string;
  system?: string;
}

export interface InstrumentationsConfig {
  /** Instrumentation names turned off (fs, dns and net are off by default). */
  disabled: string[];
  /** Instrumentation names turned on that are off by default. */
  enabled: string[];
  http: {
    /** Incoming paths not traced (exact or glob). */
    ignore_paths: string[];
  };
}

/** Where an effective value came from. */
export type ValueSource =
  | { kind: 'default' }
  | { kind: 'file'; file: string; line: number; col: number }
  | { kind: 'env'; name: string };

/** One problem found in strata.yaml or an environment variable. */
export interface ConfigIssue {
  /** The file as named to the user, or undefined when the problem is in an environment variable. */
  file: string | undefined;
  /** 1-based; 0 when unknown (environment variables). */
  line: number;
  col: number;
  /** Dotted key path, e.g. `sampling.outliers.slow.floor`. */
  path: string;
  /** The offending value as written (undefined for a missing key). */
  value: unknown;
  /** What would have been accepted. */
  expected: string;
  /** The problem in one line, without the location: `1.5 is out of range — expected a probability between 0 and 1`. */
  message: string;
  hint?: string;
  /** The environment variable the value came from, when it did. */
  env?: string;
}

/** The effective configuration, where each value came from, and the file read (if any). */
export interface LoadedConfig {
  config: StrataConfig;
  /** Every dotted leaf path of `config` to its source. */
  sources: Map<string, ValueSource>;
  /** Absolute path of the file read, undefined when running on defaults and environment. */
  file: string | undefined;
}

/** Options of `loadConfig`. */
export interface LoadOptions {
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where `strata.yaml` and `package.json` are looked for; defaults to `process.cwd()`. */
  cwd?: string;
  /** An explicit file; it must exist. */
  file?: string;
}

/** Options of `parseConfig`. */
export interface ParseOptions {
  /** The file name used in messages and sources. */
  file: string;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}
