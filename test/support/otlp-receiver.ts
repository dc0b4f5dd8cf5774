import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { metricsOf, spansOf } from './otlp/normalize.js';
import { decodeMetricsRequest, decodeTraceRequest } from './otlp/otlp-proto.js';
import type { ReceivedMetric, ReceivedRequest, ReceivedSpan, Signal } from './otlp/types.js';
import { waitFor } from './wait-for.js';

export type {
  Attributes,
  AttributeValue,
  MetricType,
  ReceivedDataPoint,
  ReceivedEvent,
  ReceivedLink,
  ReceivedMetric,
  ReceivedRequest,
  ReceivedSpan,
  Scope,
  Signal,
} from './otlp/types.js';

/** How the receiver answers; change it at any time with `setMode`. */
export interface ReceiverMode {
  /** HTTP status to answer (default 200). Data of non-2xx answers is not accepted. */
  status?: number;
  /** Wait this long before answering (default 0). */
  delayMs?: number;
  /** Never answer (a collector that accepts connections and then hangs). */
  hang?: boolean;
  /** `Retry-After` header sent with a non-2xx answer, e.g. '1'. */
  retryAfter?: string;
}

/** Options of {@link startOtlpReceiver}. */
export interface OtlpReceiverOptions extends ReceiverMode {
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
}

/** Options of the `waitFor…` methods. */
export interface ReceiverWaitOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** Resolve once at least this many items match (default 1). */
  count?: number;
}

/** A running OTLP/HTTP receiver. */
export interface OtlpReceiver {
  port: number;
  /** `http://127.0.0.1:<port>`: the value for OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  /** `<endpoint>/v1/traces`, for exporters configured with a full URL. */
  tracesUrl: string;
  /** `<endpoint>/v1/metrics` */
  metricsUrl: string;
  /** Every request received, in arrival order, whatever was answered. */
  readonly requests: ReceivedRequest[];
  /** Spans of the requests answered 2xx, in arrival order. */
  spans(): ReceivedSpan[];
  /** Metrics of the requests answered 2xx, one entry per metric per export. */
  metrics(): ReceivedMetric[];
  /** Wait until `count` accepted spans match `predicate`; resolves with all matching spans. */
  waitForSpans(
    predicate?: (span: ReceivedSpan) => boolean,
    options?: ReceiverWaitOptions,
  ): Promise<ReceivedSpan[]>;
  /** Wait until `count` accepted metrics match `predicate`; resolves with all matching metrics. */
  waitForMetrics(
    predicate?: (metric: ReceivedMetric) => boolean,
    options?: ReceiverWaitOptions,
  ): Promise<ReceivedMetric[]>;
  /** Change how the receiver answers from now on. */
  setMode(mode: ReceiverMode): void;
  /** Forget everything received so far. */
  reset(): void;
  /** Stop listening and drop open connections (including hanging ones). */
  close(): Promise<void>;
}

const signals: Record<string, Signal> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

function pathOf(req: http.IncomingMessage): string {
  return (req.url ?? '').split('?')[0];
}

/** Start a real OTLP/HTTP receiver (protobuf and JSON, gzip or not) on 127.0.0.1. */
export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  let mode: ReceiverMode = { ...options };
  const requests: ReceivedRequest[] = [];
  let accepted: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || !(pathOf(req) in signals)) {
      req.resume();
      res.writeHead(req.method === 'POST' ? 404 : 405).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => onBody(req, res, Buffer.concat(chunks)));
  });

  function onBody(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
    const record = receive(req, raw);
    requests.push(record);
    if (record.error) {
      answer(res, record, record.status ?? 415);
      return;
    }
    const current = mode;
    if (current.hang) return; // the socket stays open until close()
    const status = current.status ?? 200;
    // Data counts as received when the answer is decided, as in a collector
    // that processes a batch before its (delayed) answer reaches the client.
    if (status >= 200 && status < 300) accepted.push(record);
    if (!current.delayMs) {
      answer(res, record, status, current.retryAfter);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) answer(res, record, status, current.retryAfter);
    }, current.delayMs);
    timers.add(timer);
  }

  function receive(req: http.IncomingMessage, raw: Buffer): ReceivedRequest {
    const path = pathOf(req);
    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const contentEncoding = String(req.headers['content-encoding'] ?? '').trim();
    const encoding =
      contentType === 'application/x-protobuf'
        ? 'protobuf'
        : contentType === 'application/json'
          ? 'json'
          : 'unknown';
    const record: ReceivedRequest = {
      signal: signals[path] ?? 'logs',
      method: req.method ?? '',
      path,
      headers: { ...req.headers },
      contentType,
      contentEncoding,
      encoding,
      bodyBytes: raw.length,
      receivedAt: Date.now(),
      spans: [],
      metrics: [],
    };
    if (encoding === 'unknown' || (contentEncoding !== '' && contentEncoding !== 'gzip')) {
      record.error = `unsupported content-type "${contentType}" / content-encoding "${contentEncoding}"`;
      return record;
    }
    try {
      const body = contentEncoding === 'gzip' ? gunzipSync(raw) : raw;
      if (record.signal === 'logs') return record; // accepted and ignored
      const decoded =
        encoding === 'json'
          ? JSON.parse(body.toString('utf8'))
          : record.signal === 'traces'
            ? decodeTraceRequest(body)
            : decodeMetricsRequest(body);
      if (record.signal === 'traces') record.spans = spansOf(decoded);
      else record.metrics = metricsOf(decoded);
    } catch (error) {
      record.status = 400;
      record.error = `cannot decode ${encoding} ${record.signal}: ${String(error)}`;
    }
    return record;
  }

  function answer(
    res: http.ServerResponse,
    record: ReceivedRequest,
    status: number,
    retryAfter?: string,
  ): void {
    record.status = status;
    // An empty protobuf message is zero bytes; JSON answers `{}` (no partial_success).
    const body =
      record.encoding === 'protobuf'
        ? ''
        : JSON.stringify(record.error ? { message: record.error } : {});
    const headers: http.OutgoingHttpHeaders = {
      'content-type':
        record.encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json',
    };
    if (retryAfter && status >= 300) headers['retry-after'] = retryAfter;
    res.writeHead(status, headers).end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const spans = () => accepted.flatMap((r) => r.spans);
  const metrics = () => accepted.flatMap((r) => r.metrics);

  return {
    port,
    endpoint,
    tracesUrl: `${endpoint}/v1/traces`,
    metricsUrl: `${endpoint}/v1/metrics`,
    requests,
    spans,
    metrics,
    waitForSpans: (predicate = () => true, { timeoutMs, count = 1 } = {}) =>
      waitFor(
        () => {
          const matching = spans().filter(predicate);
          return matching.length >= count && matching;
        },
        {
          timeoutMs,
          describe: () =>
            `wanted ${count} matching span(s); received ${requests.length} request(s) with spans [${spans()
              .map((s) => s.name)
              .join(', ')}]`,
        },
      ),
    waitForMetrics: (predicate = () => true, { timeoutMs, count = 1 } = {}) =>
      waitFor(
        () => {
          const matching = metrics().filter(predicate);
          return matching.length >= count && matching;
        },
        {
          timeoutMs,
          describe: () =>
            `wanted ${count} matching metric(s); received [${[...new Set(metrics().map((m) => m.name))].join(', ')}]`,
        },
      ),
    setMode: (next) => {
      mode = { ...next };
    },
    reset: () => {
      requests.length = 0;
      accepted = [];
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
