/** An attribute value as tests compare it: OTLP AnyValue without its wrapper. */
export type AttributeValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/** Attributes as a plain object: key → value. */
export type Attributes = Record<string, AttributeValue>;

/** An instrumentation scope. */
export interface Scope {
  name: string;
  version: string;
}

/** A span event. */
export interface ReceivedEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

/** A span link. */
export interface ReceivedLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

/** One span as received, whatever the encoding (ids in lower-case hex, times in bigint ns). */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  traceState: string;
  /** W3C trace flags and the is-remote bits (0 when the exporter did not send them). */
  flags: number;
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  durationNs: bigint;
  attributes: Attributes;
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  events: ReceivedEvent[];
  links: ReceivedLink[];
  /** Resource attributes. */
  resource: Attributes;
  scope: Scope;
}

/** Which data a metric carries. */
export type MetricType = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';

/** One data point; the fields present depend on the metric type. */
export interface ReceivedDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** gauge and sum */
  value?: number;
  /** histogram, exponential histogram, summary */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  /** histogram */
  bucketCounts?: number[];
  explicitBounds?: number[];
}

/** One metric of one export request. */
export interface ReceivedMetric {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  /** OTLP AggregationTemporality: 1 delta, 2 cumulative (undefined for gauge and summary). */
  temporality?: number;
  isMonotonic?: boolean;
  dataPoints: ReceivedDataPoint[];
  resource: Attributes;
  scope: Scope;
}

/** Which OTLP signal a request carried. */
export type Signal = 'traces' | 'metrics' | 'logs';

/** One HTTP request the receiver got, whatever it answered. */
export interface ReceivedRequest {
  signal: Signal;
  method: string;
  path: string;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  contentType: string;
  /** 'gzip' or '' */
  contentEncoding: string;
  encoding: 'protobuf' | 'json' | 'unknown';
  /** Size on the wire (before gunzip). */
  bodyBytes: number;
  receivedAt: number;
  /** Status answered; undefined while the answer is delayed or when the receiver hangs. */
  status?: number;
  /** Why the body could not be decoded. */
  error?: string;
  spans: ReceivedSpan[];
  metrics: ReceivedMetric[];
}
