import { type HrTime, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, Span } from '@opentelemetry/sdk-trace';
import type { KeepReason, LocalTraceFacts, TraceSummary } from '../types';

/** Plain data for the outlier decision, read from the local root. */
export function summarizeLocalTrace(
  root: Span | ReadableSpan,
  spans: readonly ReadableSpan[],
  facts: LocalTraceFacts | undefined,
  openDurationMs: number,
  mark: KeepReason | undefined,
): TraceSummary {
  const attributes = root.attributes;
  const status = attributes['http.response.status_code'];
  const route = attributes['http.route'];
  const path = attributes['url.path'];
  const method = attributes['http.request.method'];
  return {
    route: typeof route === 'string' ? route : undefined,
    path: typeof path === 'string' ? path : undefined,
    name: root.name,
    method: typeof method === 'string' ? method : undefined,
    status:
      typeof status === 'number'
        ? status
        : typeof status === 'string'
          ? Number(status) || undefined
          : undefined,
    error: root.status.code === SpanStatusCode.ERROR,
    durationMs: root.ended ? hrTimeToMs(root.duration) : openDurationMs,
    rootAttributes: attributes,
    spans,
    layerMs: facts?.layerMs,
    baseline: (root.spanContext().traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
    marked: mark,
  };
}

function hrTimeToMs(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}
