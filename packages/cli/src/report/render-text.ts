import type { OutlierReport, Report, RouteReport } from './types';

const SPARK = '▁▂▃▄▅▆▇█';
const OUTLIERS_SHOWN = 15;

/** Milliseconds as the report prints them: 0.42 ms, 12.3 ms, 1,204 ms. */
export function ms(value: number): string {
  if (value >= 1000) return `${Math.round(value).toLocaleString('en-US')} ms`;
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const clock = (t: number) => new Date(t).toISOString().slice(11, 19);
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** One row of a layer's mean time per bucket, as block characters scaled to `max`. */
export function sparkline(values: (number | undefined)[], max: number): string {
  return values
    .map((v) => {
      if (v === undefined) return ' ';
      if (max <= 0) return SPARK[0];
      return SPARK[Math.min(SPARK.length - 1, Math.round((v / max) * (SPARK.length - 1)))];
    })
    .join('');
}

function routeText(route: RouteReport, bucketMs: number): string[] {
  const basis =
    route.basis === 'baseline'
      ? `${route.baseline} baseline ≈ ${count(route.estimatedRequests ?? 0)} requests`
      : 'no baseline: outliers only, biased to slow';
  const lines = [
    `${route.service}  ${route.route}   ${route.kept} kept (${basis})   mean ${ms(route.duration.meanMs)}  p50 ${ms(route.duration.p50Ms)}  p99 ${ms(route.duration.p99Ms)}`,
    `  ${'layer'.padEnd(12)} ${'share'.padStart(6)} ${'mean'.padStart(10)} ${'p50'.padStart(10)} ${'p99'.padStart(10)}`,
  ];
  const width = Math.max(12, ...route.layers.map((l) => l.layer.length));
  for (const l of route.layers) {
    const bar = '█'.repeat(Math.round(l.share * 20)).padEnd(20, '·');
    lines.push(
      `  ${l.layer.padEnd(width)} ${pct(l.share).padStart(6)} ${ms(l.meanMs).padStart(10)} ${ms(l.p50Ms).padStart(10)} ${ms(l.p99Ms).padStart(10)}  ${bar}`,
    );
  }
  lines.push(`  dominant layer: ${route.dominantLayer}`);
  if (route.timeline.length > 1) {
    lines.push(`  layer over time (mean ms per request, ${bucketMs / 1000} s per column):`);
    for (const l of route.layers) {
      const values = route.timeline.map((b) => (b.requests ? (b.layers[l.layer] ?? 0) : undefined));
      const max = Math.max(0, ...values.map((v) => v ?? 0));
      lines.push(`  ${l.layer.padEnd(width)} |${sparkline(values, max)}| max ${ms(max)}`);
    }
  }
  return lines;
}

function outlierText(o: OutlierReport): string {
  const dom = `${o.dominantLayer} ${pct(o.dominantShare)}`;
  const link = o.jaegerUrl ?? o.traceId;
  const also = o.alsoKept.length ? `  (+ ${o.alsoKept.join(', ')})` : '';
  return `  ${o.reason.padEnd(12)} ${o.service.padEnd(10)} ${o.route.padEnd(28)} ${ms(o.durationMs).padStart(10)}  ${dom.padEnd(16)} ${link}${also}`;
}

/** The report as text for a terminal. */
export function renderText(report: Report): string {
  const { window: w, sampling: s } = report;
  const out = [
    `Strata report: ${s.keptTraces} kept traces (${s.keptLocalTraces} local traces) from ${report.services.join(', ')}, ${clock(w.startMs)}–${clock(w.endMs)} UTC (${((w.endMs - w.startMs) / 1000).toFixed(1)} s)`,
    `source: ${report.sources.join(', ')}`,
    '',
    '== Layers per route (from the baseline sample when there is one) ==',
    '',
  ];
  for (const route of report.routes) out.push(...routeText(route, w.bucketMs), '');
  const shown = [...report.outliers]
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, OUTLIERS_SHOWN);
  out.push(
    `== Outliers: ${report.outliers.length} traces${report.outliers.length > shown.length ? `, the ${shown.length} slowest shown (--json for all)` : ''} ==`,
    '',
    `  ${'reason'.padEnd(12)} ${'service'.padEnd(10)} ${'route'.padEnd(28)} ${'duration'.padStart(10)}  ${'dominant'.padEnd(16)} trace`,
  );
  for (const o of shown) out.push(outlierText(o));
  const reasons = Object.entries(s.outliersByReason)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const p = s.probabilities.map((v) => Number(v.toPrecision(4))).join(', ');
  out.push(
    '',
    '== Sampling ==',
    '',
    `  local traces kept     ${s.keptLocalTraces} (${Object.entries(s.byReason)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ')})`,
    `  baseline kept         ${s.baselineKept}${p ? ` at p = ${p}` : ''}`,
    `  outlier traces        ${report.outliers.length}${reasons ? ` (${reasons})` : ''}`,
    `  estimated requests    ≈ ${count(s.estimatedRequests)} (sum of the baseline's adjusted counts 1/p, from ot=th)`,
    '',
  );
  return out.join('\n');
}
