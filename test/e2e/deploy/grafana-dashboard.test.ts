import { describe, expect, it } from 'vitest';
import { dashboards, type Panel, readYaml, toPromql } from './helpers.js';

const GRAFANA_VARIABLES =
  /^__(rate_interval|interval|range|field|series|value|data|url_time_range)/;

describe('deploy/grafana', () => {
  const all = dashboards();

  it('ships the "Strata — layers" dashboard', () => {
    expect([...all.values()].map((d) => d.title)).toContain('Strata — layers');
  });

  for (const [file, dashboard] of all) {
    describe(file, () => {
      const panels: Panel[] = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
      const variables = new Set(dashboard.templating.list.map((v) => v.name));

      it('is dashboard JSON Grafana provisions: uid, title, schema version, unique panel ids', () => {
        expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
        expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
        const ids = panels.map((p) => p.id);
        expect(new Set(ids).size).toBe(ids.length);
      });

      it('lays panels out on the 24-column grid without overlaps', () => {
        const cells = new Set<string>();
        for (const { gridPos, title } of panels) {
          expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
          for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++)
            for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
              expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
              cells.add(`${x},${y}`);
            }
        }
      });

      it('gives every data panel a Prometheus data source and PromQL targets with unique refIds', () => {
        for (const panel of panels.filter((p) => p.type !== 'row')) {
          expect(panel.datasource?.type, panel.title).toBe('prometheus');
          expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
          const refIds = panel.targets!.map((t) => t.refId);
          expect(new Set(refIds).size, panel.title).toBe(refIds.length);
          for (const target of panel.targets!) expect(target.expr.trim()).not.toBe('');
        }
      });

      it('uses only variables it defines (or Grafana built-ins), repeats by a defined variable', () => {
        const texts = panels.flatMap((p) => [
          p.title,
          ...(p.targets ?? []).map((t) => t.expr),
          ...(p.fieldConfig?.defaults.links ?? []).map((l) => l.url),
        ]);
        for (const text of [...texts, ...(dashboard.links ?? []).map((l) => l.url)])
          for (const [, name] of text.matchAll(/\$\{?(\w+)/g))
            expect(variables.has(name) || GRAFANA_VARIABLES.test(name), `$${name} in ${text}`).toBe(
              true,
            );
        for (const panel of panels.filter((p) => p.repeat))
          expect(variables.has(panel.repeat!)).toBe(true);
      });

      it('links route panels to a Jaeger search', () => {
        const links = panels.flatMap((p) => p.fieldConfig?.defaults.links ?? []);
        expect(links.some((l) => l.url.startsWith('$' + '{jaeger_url}/search?'))).toBe(true);
      });

      it('reads the metric names Strata exposes', () => {
        const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => toPromql(t.expr)));
        const joined = exprs.join('\n');
        for (const metric of [
          'strata_request_layer_time_seconds_total',
          'strata_request_layer_duration_seconds_bucket',
          'http_server_request_duration_seconds_bucket',
          'strata_sampling_traces_total',
          'strata_sampling_buffer_spans',
          'strata_sampling_dropped_spans_total',
          'strata_export_dropped_spans_total',
          'nodejs_eventloop_utilization',
          'v8js_memory_heap_used_bytes',
          'v8js_gc_duration_seconds_sum',
        ])
          expect(joined).toContain(metric);
      });
    });
  }

  it('provisions Prometheus and Jaeger data sources and loads the dashboards folder', () => {
    const sources = readYaml('grafana', 'provisioning', 'datasources', 'strata.yaml') as {
      datasources: { type: string; url: string; uid: string }[];
    };
    expect(sources.datasources.map((d) => d.type).sort()).toEqual(['jaeger', 'prometheus']);
    const providers = readYaml('grafana', 'provisioning', 'dashboards', 'strata.yaml') as {
      providers: { type: string; options: { path: string } }[];
    };
    expect(providers.providers[0]).toMatchObject({
      type: 'file',
      options: { path: '/var/lib/grafana/dashboards' },
    });
  });
});
