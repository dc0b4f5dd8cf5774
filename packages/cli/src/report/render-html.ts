import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ms } from './render-text';
import type { Report } from './types';

// A fixed colour per well-known layer, so a layer looks the same in every chart.
const COLORS: Record<string, string> = {
  app: '#4e79a7',
  framework: '#f28e2b',
  db: '#e15759',
  cache: '#76b7b2',
  http: '#59a14f',
  rpc: '#edc948',
  messaging: '#b07aa1',
  dns: '#ff9da7',
  net: '#9c755f',
  fs: '#bab0ac',
  graphql: '#86bcb6',
};
const SPARE = ['#8cd17d', '#b6992d', '#499894', '#d37295', '#a0cbe8', '#ffbe7d'];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// JSON inside <script>: `</script>` and U+2028 must not end or break the script.
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028|\u2029/g, '');

/** Chart.js's UMD build, read from node_modules so the page needs no network. */
export function chartJsSource(): string {
  return readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}

/** A self-contained HTML page: a stacked layer-over-time chart per route and the outlier table. */
export function renderHtml(report: Report, chartJs: string = chartJsSource()): string {
  const layers = [...new Set(report.routes.flatMap((r) => r.layers.map((l) => l.layer)))];
  const colors = Object.fromEntries(
    layers.map((l, i) => [l, COLORS[l] ?? SPARE[i % SPARE.length]]),
  );
  const charts = report.routes.map((route, i) => ({
    id: `route-${i}`,
    // Sub-second buckets need tenths in their labels.
    labels: route.timeline.map((b) =>
      new Date(b.startMs).toISOString().slice(11, report.window.bucketMs < 1000 ? 21 : 19),
    ),
    datasets: route.layers.map((l) => ({
      label: l.layer,
      data: route.timeline.map((b) =>
        b.requests ? Number((b.layers[l.layer] ?? 0).toFixed(3)) : null,
      ),
      backgroundColor: colors[l.layer],
      borderColor: colors[l.layer],
      fill: true,
      pointRadius: 2,
      spanGaps: true,
    })),
  }));
  const sections = report.routes
    .map((route, i) => {
      const rows = route.layers
        .map(
          (l) =>
            `<tr><td><span class="swatch" style="background:${colors[l.layer]}"></span>${escapeHtml(l.layer)}</td><td>${(l.share * 100).toFixed(1)}%</td><td>${ms(l.meanMs)}</td><td>${ms(l.p50Ms)}</td><td>${ms(l.p99Ms)}</td></tr>`,
        )
        .join('');
      return `<section class="route" data-route="${escapeHtml(`${route.service} ${route.route}`)}">
<h2>${escapeHtml(route.service)} <code>${escapeHtml(route.route)}</code></h2>
<p>${route.kept} kept (${route.basis === 'baseline' ? `${route.baseline} baseline ≈ ${Math.round(route.estimatedRequests ?? 0)} requests` : 'outliers only'}) · mean ${ms(route.duration.meanMs)} · p50 ${ms(route.duration.p50Ms)} · p99 ${ms(route.duration.p99Ms)} · dominant layer <b>${escapeHtml(route.dominantLayer)}</b></p>
<div class="chart"><canvas id="route-${i}"></canvas></div>
<table><tr><th>layer</th><th>share</th><th>mean</th><th>p50</th><th>p99</th></tr>${rows}</table>
</section>`;
    })
    .join('\n');
  const outlierRows = report.outliers
    .map((o) => {
      const trace = o.jaegerUrl
        ? `<a href="${escapeHtml(o.jaegerUrl)}">${o.traceId}</a>`
        : `<code>${o.traceId}</code>`;
      return `<tr><td>${escapeHtml(o.reason)}</td><td>${escapeHtml(o.service)}</td><td><code>${escapeHtml(o.route)}</code></td><td>${ms(o.durationMs)}</td><td>${escapeHtml(o.dominantLayer)} ${(o.dominantShare * 100).toFixed(0)}%</td><td>${trace}</td><td>${escapeHtml(o.alsoKept.join(', '))}</td></tr>`;
    })
    .join('\n');
  const s = report.sampling;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Strata report</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
h2{font-size:1.1em;margin:1.5em 0 .3em}.chart{height:220px}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #eee}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.4em;vertical-align:middle}
</style></head><body>
<h1>Strata report</h1>
<p>${s.keptTraces} kept traces from ${escapeHtml(report.services.join(', '))} · ${new Date(report.window.startMs).toISOString()} → ${new Date(report.window.endMs).toISOString()} · ${report.window.bucketMs / 1000} s per point</p>
<p>Sampling: ${s.baselineKept} baseline local traces, ${report.outliers.length} outlier traces (${escapeHtml(
    Object.entries(s.outliersByReason)
      .map(([r, n]) => `${r} ${n}`)
      .join(', '),
  )}), ≈ ${Math.round(s.estimatedRequests)} requests estimated from the adjusted counts.</p>
${sections}
<h2>Outliers</h2>
<table id="outliers"><tr><th>reason</th><th>service</th><th>route</th><th>duration</th><th>dominant</th><th>trace</th><th>also kept</th></tr>
${outlierRows}
</table>
<script>${chartJs}</script>
<script>
const charts = ${scriptJson(charts)};
window.strataCharts = charts.map((c) => new Chart(document.getElementById(c.id), {
  type: 'line',
  data: { labels: c.labels, datasets: c.datasets },
  options: {
    animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
    scales: { y: { stacked: true, beginAtZero: true, title: { display: true, text: 'mean ms per request' } } },
  },
}));
</script>
</body></html>
`;
}
