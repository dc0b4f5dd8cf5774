import type { ReportSpan } from './types';

const LAYER_KEY = /^strata\.layer\.(.+)\.ms$/;

/** A local root with what the report needs of it. */
export interface LocalRoot {
  span: ReportSpan;
  /** `http.request.method` + `http.route` (else the span name). */
  route: string;
  /** `strata.sampling.reason`, or 'unknown' when the span has none (not exported by Strata). */
  reason: string;
  /** `strata.layer.<layer>.ms` by layer; the root's whole duration as `app` when there are none. */
  layers: Record<string, number>;
}

/** `strata.layer.<layer>.ms` attributes of a span, by layer. */
export function layersOf(span: ReportSpan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    const match = LAYER_KEY.exec(key);
    if (match && typeof value === 'number') out[match[1]] = value;
  }
  return out;
}

/** The route a root stands for: method and route template (else path, else the span name). */
export function routeOf(span: ReportSpan): string {
  const method = span.attributes['http.request.method'];
  const route = span.attributes['http.route'];
  // Without a route template (plain node:http), the path: fine for a handful of fixed paths.
  const path = typeof route === 'string' ? route : span.attributes['url.path'];
  if (typeof path !== 'string') return span.name;
  return typeof method === 'string' ? `${method} ${path}` : path;
}

/**
 * The local roots among `spans`: spans with no parent, a remote parent (OTLP flag), or a parent
 * that is not in the same service (Jaeger); Strata marks each kept one with its sampling reason.
 */
export function localRoots(spans: ReportSpan[]): LocalRoot[] {
  const byId = new Map<string, ReportSpan>();
  for (const span of spans) byId.set(`${span.traceId}/${span.spanId}`, span);
  const roots: LocalRoot[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId ? byId.get(`${span.traceId}/${span.parentSpanId}`) : undefined;
    const marked = span.attributes['strata.sampling.reason'] !== undefined;
    const isRoot =
      marked ||
      span.parentSpanId === '' ||
      span.remoteParent ||
      (parent !== undefined && parent.service !== span.service);
    if (!isRoot) continue;
    const layers = layersOf(span);
    if (Object.keys(layers).length === 0) layers.app = span.durationMs;
    roots.push({
      span,
      route: routeOf(span),
      reason: String(span.attributes['strata.sampling.reason'] ?? 'unknown'),
      layers,
    });
  }
  return roots.sort((a, b) => a.span.startMs - b.span.startMs);
}

/** The layer with the most time, and its share of the total. */
export function dominant(layers: Record<string, number>): { layer: string; share: number } {
  let best = { layer: 'app', ms: -1 };
  let total = 0;
  for (const [layer, ms] of Object.entries(layers)) {
    total += ms;
    if (ms > best.ms) best = { layer, ms };
  }
  return { layer: best.layer, share: total > 0 ? best.ms / total : 0 };
}
