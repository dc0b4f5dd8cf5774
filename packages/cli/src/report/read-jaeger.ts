import { StrataReportError } from './report-error';
import type { ReportSpan } from './types';

// Jaeger's HTTP query API (the one its UI uses): GET /api/services and
// GET /api/traces?service=…&limit=…&lookback=… answer { data: [trace] }, a trace being
// { traceID, spans: [{ traceID, spanID, operationName, references, startTime (µs), duration (µs),
// tags: [{ key, type, value }], processID }], processes: { p1: { serviceName, tags } } }
// (jaeger model/json). OTLP span kind, status and tracestate arrive as the tags `span.kind`,
// `otel.status_code`/`error` and `w3c.tracestate` (collector-contrib pkg/translator/jaeger).

interface JaegerTag {
  key: string;
  type?: string;
  value: unknown;
}
interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: { refType: string; traceID: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags?: JaegerTag[];
  processID: string;
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

/** The spans of a Jaeger API `/api/traces` response body (already parsed). */
export function spansOfJaegerResponse(body: unknown): ReportSpan[] {
  const data = (body as { data?: unknown }).data;
  if (!Array.isArray(data)) throw new TypeError('not a Jaeger API response (no data array)');
  const spans: ReportSpan[] = [];
  for (const trace of data as JaegerTrace[]) {
    for (const s of trace.spans ?? []) {
      const attributes: Record<string, string | number | boolean> = {};
      for (const tag of s.tags ?? []) {
        const v = tag.value;
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
          attributes[tag.key] = v;
      }
      const parent = s.references?.find((r) => r.refType === 'CHILD_OF');
      spans.push({
        traceId: s.traceID.padStart(32, '0'),
        spanId: s.spanID,
        parentSpanId: parent?.spanID ?? '',
        // Jaeger does not keep OTLP's is-remote flag; the report finds local roots by service.
        remoteParent: false,
        service: trace.processes?.[s.processID]?.serviceName ?? 'unknown',
        name: s.operationName,
        kind: String(attributes['span.kind'] ?? 'unspecified'),
        startMs: s.startTime / 1000,
        durationMs: s.duration / 1000,
        attributes,
        traceState: String(attributes['w3c.tracestate'] ?? ''),
        error: attributes.error === true || attributes['otel.status_code'] === 'ERROR',
      });
    }
  }
  return spans;
}

/** Options of {@link readJaeger}. */
export interface JaegerQuery {
  /** Services to read; default every service Jaeger knows but its own. */
  services?: string[];
  /** Traces per service (default 1000). */
  limit?: number;
  /** How far back, in Jaeger's syntax (default '1h'). */
  lookback?: string;
}

async function getJson(url: URL): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new StrataReportError(
      'STRATA_REPORT_JAEGER_UNREACHABLE',
      `cannot reach Jaeger at ${url.origin} (${cause}); is it running? (deploy/compose starts one on :16686)`,
    );
  }
  const text = await response.text();
  if (!response.ok)
    throw new StrataReportError(
      'STRATA_REPORT_JAEGER_HTTP',
      `Jaeger answered ${response.status} to ${url.pathname}${url.search}: ${text.slice(0, 200)}`,
    );
  try {
    return JSON.parse(text);
  } catch {
    throw new StrataReportError(
      'STRATA_REPORT_JAEGER_HTTP',
      `Jaeger's answer to ${url.pathname} is not JSON; is ${url.origin} the query UI/API (port 16686)?`,
    );
  }
}

/** Read traces from Jaeger's HTTP query API at `base` (e.g. http://localhost:16686). */
export async function readJaeger(base: string, query: JaegerQuery = {}): Promise<ReportSpan[]> {
  let services = query.services ?? [];
  if (services.length === 0) {
    const body = (await getJson(new URL('/api/services', base))) as { data?: string[] };
    services = (body.data ?? []).filter((name) => !name.startsWith('jaeger'));
  }
  const seen = new Set<string>();
  const spans: ReportSpan[] = [];
  for (const service of services) {
    const url = new URL('/api/traces', base);
    url.searchParams.set('service', service);
    url.searchParams.set('limit', String(query.limit ?? 1000));
    url.searchParams.set('lookback', query.lookback ?? '1h');
    let found: ReportSpan[];
    try {
      found = spansOfJaegerResponse(await getJson(url));
    } catch (error) {
      if (error instanceof StrataReportError) throw error;
      throw new StrataReportError(
        'STRATA_REPORT_JAEGER_HTTP',
        `${url}: ${(error as Error).message}`,
      );
    }
    // The same trace comes back once per service it crossed.
    for (const span of found) {
      const key = `${span.traceId}/${span.spanId}`;
      if (!seen.has(key)) {
        seen.add(key);
        spans.push(span);
      }
    }
  }
  return spans;
}
