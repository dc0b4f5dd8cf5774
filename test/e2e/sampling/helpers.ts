import type { ReceivedSpan } from '../../support/otlp-receiver.js';

/** Root span attribute naming why a kept local trace was kept. */
export const REASON = 'strata.sampling.reason';

/** The caller's and callee's service names. */
export const CALLER = 'sampling-caller';
export const CALLEE = 'sampling-callee';

/** One request the load generator sent, with what the app answered. */
export interface Sent<K extends string = string> {
  kind: K;
  path: string;
  status: number;
  traceId: string;
  ms: number;
}

/** Send every request, `concurrency` at a time; `x-trace-id` names the caller's trace. */
export async function sendAll<K extends string>(
  baseUrl: string,
  requests: { kind: K; path: string }[],
  concurrency: number,
): Promise<Sent<K>[]> {
  const sent: Sent<K>[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const { kind, path } = requests[next++];
        const started = performance.now();
        const response = await fetch(`${baseUrl}${path}`);
        await response.arrayBuffer();
        const traceId = response.headers.get('x-trace-id') ?? '';
        sent.push({
          kind,
          path,
          status: response.status,
          traceId,
          ms: performance.now() - started,
        });
      }
    }),
  );
  return sent;
}

/** Fisher–Yates, so outliers are spread through the run. */
export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Received spans grouped by trace id. */
export function byTrace(spans: ReceivedSpan[]): Map<string, ReceivedSpan[]> {
  const traces = new Map<string, ReceivedSpan[]>();
  for (const span of spans) {
    const list = traces.get(span.traceId);
    if (list) list.push(span);
    else traces.set(span.traceId, [span]);
  }
  return traces;
}

/** What one exported trace looks like across the two services. */
export interface TraceView {
  callerRoot?: ReceivedSpan;
  calleeRoot?: ReceivedSpan;
  /** Caller root, callee root (its parent is a caller span), ids all of one trace. */
  complete: boolean;
  /** Whether any span carries the baseline threshold (`ot=th:`). */
  hasTh: boolean;
  reasons: { caller?: string; callee?: string };
}

/** Look at one trace's spans: local roots per service, completeness, `th`, reasons. */
export function viewTrace(spans: ReceivedSpan[] = []): TraceView {
  const service = (s: ReceivedSpan) => s.resource['service.name'];
  const callerSpans = spans.filter((s) => service(s) === CALLER);
  const calleeSpans = spans.filter((s) => service(s) === CALLEE);
  const callerIds = new Set(callerSpans.map((s) => s.spanId));
  const calleeIds = new Set(calleeSpans.map((s) => s.spanId));
  const callerRoot = callerSpans.find((s) => s.parentSpanId === '');
  // The callee's local root: its parent is remote (a span of the caller).
  const calleeRoot = calleeSpans.find((s) => !calleeIds.has(s.parentSpanId));
  const complete =
    callerRoot !== undefined &&
    calleeRoot !== undefined &&
    callerIds.has(calleeRoot.parentSpanId) &&
    new Set(spans.map((s) => s.traceId)).size === 1;
  return {
    callerRoot,
    calleeRoot,
    complete,
    hasTh: spans.some((s) => /(^|,)\s*ot=([^,]*;)?th:/.test(s.traceState)),
    reasons: {
      caller: callerRoot?.attributes[REASON] as string | undefined,
      callee: calleeRoot?.attributes[REASON] as string | undefined,
    },
  };
}
