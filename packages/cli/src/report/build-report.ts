import { adjustedCount, probabilityOf } from './adjusted-count';
import { dominant, type LocalRoot, localRoots } from './local-roots';
import { mean, quantile } from './quantile';
import type { OutlierReport, Report, ReportSpan, RouteReport, SamplingSummary } from './types';

/** Options of {@link buildReport}. */
export interface BuildOptions {
  /** Where the spans came from, for the header. */
  sources: string[];
  /** Jaeger UI base URL: outliers get links to their traces. */
  jaegerUrl?: string;
  /** At most this many time buckets in each route's timeline (default 30). */
  buckets?: number;
}

const NICE_MS = [100, 250, 500, 1e3, 2e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3];
// Reasons that say "kept because another service kept it", not why the trace is interesting.
const FOLLOWERS = new Set(['callee', 'caller']);

/** The smallest round bucket width that fits `span` into `buckets` columns. */
export function bucketWidth(spanMs: number, buckets: number): number {
  const wanted = spanMs / buckets;
  return NICE_MS.find((ms) => ms >= wanted) ?? Math.ceil(wanted / 3_600_000) * 3_600_000;
}

const isBaseline = (root: LocalRoot) => adjustedCount(root.span.traceState) !== undefined;

function routeReport(
  roots: LocalRoot[],
  windowStart: number,
  bucketMs: number,
  count: number,
): RouteReport {
  const baseline = roots.filter(isBaseline);
  // The baseline is a fair sample of the traffic; outliers alone would show only the bad times.
  const basis = baseline.length > 0 ? baseline : roots;
  const layerNames = [...new Set(basis.flatMap((r) => Object.keys(r.layers)))];
  const total = basis.reduce((sum, r) => sum + r.span.durationMs, 0);
  const layers = layerNames
    .map((layer) => {
      const values = basis.map((r) => r.layers[layer] ?? 0);
      const sum = values.reduce((a, b) => a + b, 0);
      return {
        layer,
        share: total > 0 ? sum / total : 0,
        meanMs: mean(values),
        p50Ms: quantile(values, 0.5),
        p99Ms: quantile(values, 0.99),
      };
    })
    .sort((a, b) => b.share - a.share);
  const timeline = Array.from({ length: count }, (_, i) => ({
    startMs: windowStart + i * bucketMs,
    requests: 0,
    layers: {} as Record<string, number>,
  }));
  for (const r of basis) {
    const bucket =
      timeline[Math.min(count - 1, Math.floor((r.span.startMs - windowStart) / bucketMs))];
    bucket.requests++;
    for (const [layer, ms] of Object.entries(r.layers))
      bucket.layers[layer] = (bucket.layers[layer] ?? 0) + ms;
  }
  for (const bucket of timeline)
    for (const layer of Object.keys(bucket.layers)) bucket.layers[layer] /= bucket.requests;
  const durations = basis.map((r) => r.span.durationMs);
  return {
    service: roots[0].span.service,
    route: roots[0].route,
    kept: roots.length,
    baseline: baseline.length,
    estimatedRequests:
      baseline.length > 0
        ? baseline.reduce((sum, r) => sum + (adjustedCount(r.span.traceState) ?? 0), 0)
        : null,
    basis: baseline.length > 0 ? 'baseline' : 'all-kept',
    duration: {
      meanMs: mean(durations),
      p50Ms: quantile(durations, 0.5),
      p99Ms: quantile(durations, 0.99),
    },
    layers,
    dominantLayer: layers[0]?.layer ?? 'app',
    timeline,
  };
}

function outliersOf(roots: LocalRoot[], jaegerUrl: string | undefined): OutlierReport[] {
  const byTrace = new Map<string, LocalRoot[]>();
  for (const root of roots) {
    const list = byTrace.get(root.span.traceId) ?? [];
    list.push(root);
    byTrace.set(root.span.traceId, list);
  }
  const outliers: OutlierReport[] = [];
  for (const [traceId, list] of byTrace) {
    const interesting = list.filter((r) => r.reason !== 'baseline' && r.reason !== 'unknown');
    if (interesting.length === 0) continue;
    const primary = interesting.find((r) => !FOLLOWERS.has(r.reason)) ?? interesting[0];
    const top = dominant(primary.layers);
    outliers.push({
      traceId,
      reason: primary.reason,
      service: primary.span.service,
      route: primary.route,
      startMs: primary.span.startMs,
      durationMs: primary.span.durationMs,
      dominantLayer: top.layer,
      dominantShare: top.share,
      layers: primary.layers,
      alsoKept: list.filter((r) => r !== primary).map((r) => `${r.span.service} (${r.reason})`),
      ...(jaegerUrl ? { jaegerUrl: `${jaegerUrl.replace(/\/+$/, '')}/trace/${traceId}` } : {}),
    });
  }
  return outliers.sort((a, b) => a.startMs - b.startMs);
}

function samplingOf(roots: LocalRoot[], outliers: OutlierReport[]): SamplingSummary {
  const byReason: Record<string, number> = {};
  for (const r of roots) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
  const outliersByReason: Record<string, number> = {};
  for (const o of outliers) outliersByReason[o.reason] = (outliersByReason[o.reason] ?? 0) + 1;
  const baseline = roots.filter(isBaseline);
  // One adjusted count per trace: parent-based sampling gives every service of a trace the same th.
  const baselineTraces = new Map(baseline.map((r) => [r.span.traceId, r.span.traceState]));
  const probabilities = [
    ...new Set(baseline.map((r) => probabilityOf(r.span.traceState) as number)),
  ];
  return {
    keptTraces: new Set(roots.map((r) => r.span.traceId)).size,
    keptLocalTraces: roots.length,
    baselineKept: baseline.length,
    byReason,
    outliersByReason,
    estimatedRequests: [...baselineTraces.values()].reduce(
      (sum, ts) => sum + (adjustedCount(ts) ?? 0),
      0,
    ),
    probabilities: probabilities.sort((a, b) => a - b),
  };
}

/** Per-route layer breakdown, timelines, outliers and sampling summary of exported spans. */
export function buildReport(spans: ReportSpan[], options: BuildOptions): Report {
  const roots = localRoots(spans);
  const startMs = roots.length ? Math.min(...roots.map((r) => r.span.startMs)) : 0;
  const endMs = roots.length
    ? Math.max(...roots.map((r) => r.span.startMs + r.span.durationMs))
    : 0;
  const bucketMs = bucketWidth(Math.max(1, endMs - startMs), options.buckets ?? 30);
  const count = Math.max(1, Math.ceil((endMs - startMs) / bucketMs));
  const groups = new Map<string, LocalRoot[]>();
  for (const root of roots) {
    const key = `${root.span.service}\u0000${root.route}`;
    const group = groups.get(key);
    if (group) group.push(root);
    else groups.set(key, [root]);
  }
  const routes = [...groups.values()]
    .map((group) => routeReport(group, startMs, bucketMs, count))
    .sort((a, b) => a.service.localeCompare(b.service) || b.kept - a.kept);
  const outliers = outliersOf(roots, options.jaegerUrl);
  return {
    sources: options.sources,
    ...(options.jaegerUrl ? { jaegerUrl: options.jaegerUrl } : {}),
    window: { startMs, endMs, bucketMs },
    services: [...new Set(roots.map((r) => r.span.service))].sort(),
    routes,
    outliers,
    sampling: samplingOf(roots, outliers),
  };
}
