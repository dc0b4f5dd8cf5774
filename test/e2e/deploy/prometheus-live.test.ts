import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { type AppHandle, freePort, spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { waitFor } from '../../support/wait-for.js';
import { REQUIRE_STRATA, writeConfig } from '../node/helpers.js';
import { alertAsBool, dashboardExprs, type FoundExpr, ruleExprs, toPromql } from './helpers.js';
import { type PrometheusServer, startPrometheus } from './prometheus-server.js';

// A healthy service exporting to a real OTLP receiver, and one in trouble: a
// 10-span buffer (drops, early decisions), a 100 ms root timeout (late spans)
// and an OTLP endpoint nobody listens on (export failures). Between them every
// metric the dashboards and alerts read exists.
const HEALTHY_YAML = `
sampling:
  baseline: 0.5
  buffer: { grace: 50ms }
exporters:
  queue: { delay: 100ms }
`;
const TROUBLE_YAML = `
sampling:
  baseline: 1
  buffer: { max_spans: 10, grace: 50ms, root_timeout: 100ms }
exporters:
  queue: { delay: 100ms }
  otlp: { timeout: 500ms }
`;
const LOAD_MS = 6000;

async function startApp(yaml: string, endpoint: string) {
  const metricsPort = await freePort();
  const app = await spawnApp({
    script: appPath('express-hello.cjs'),
    nodeArgs: REQUIRE_STRATA,
    env: {
      STRATA_CONFIG: writeConfig(yaml),
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    },
  });
  return { app, target: `127.0.0.1:${metricsPort}` };
}

/** Requests in parallel loops until the deadline: fast, parameterised, failing and slow routes. */
async function load(apps: AppHandle[], ms: number): Promise<number> {
  const paths = ['/', '/users/1', '/users/2', '/fail', '/slow?ms=30', '/slow?ms=250'];
  const deadline = Date.now() + ms;
  let sent = 0;
  const worker = async (app: AppHandle, offset: number) => {
    for (let i = offset; Date.now() < deadline; i++) {
      const res = await app.fetch(paths[i % paths.length]);
      await res.arrayBuffer();
      sent++;
    }
  };
  await Promise.all(apps.flatMap((app) => [0, 1, 2, 3, 4, 5].map((n) => worker(app, n))));
  return sent;
}

describe('deploy/ dashboards and rules against a real Prometheus scraping Strata', () => {
  let receiver: OtlpReceiver;
  let prometheus: PrometheusServer;
  let deadPort: number;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    deadPort = await freePort();
    const healthy = await startApp(HEALTHY_YAML, receiver.endpoint);
    const trouble = await startApp(TROUBLE_YAML, `http://127.0.0.1:${deadPort}`);
    prometheus = await startPrometheus([healthy.target, trouble.target]);
    await waitFor(async () => (await prometheus.query('up == 1')).length === 2, {
      timeoutMs: 15_000,
      describe: () => prometheus.output(),
    });
    const sent = await load([healthy.app, trouble.app], LOAD_MS);
    expect(sent).toBeGreaterThan(100);
  });
  afterAll(async () => {
    await prometheus?.stop();
    await stopAllApps();
    await receiver?.close();
  });

  it('loads every rule file without errors', async () => {
    const rules = await waitFor(async () => {
      const loaded = await prometheus.rules();
      return loaded.length === 11 && loaded.every((r) => r.health === 'ok') && loaded;
    });
    expect(rules.filter((r) => r.lastError)).toEqual([]);
  });

  it('every dashboard and rule expression returns data', async () => {
    const exprs: FoundExpr[] = [
      ...dashboardExprs().map((e) => ({ where: e.where, expr: toPromql(e.expr, '1m') })),
      ...ruleExprs().map((e) => ({
        where: e.where,
        expr: e.kind === 'alert' ? alertAsBool(e.expr) : e.expr,
      })),
    ];
    expect(exprs.length).toBeGreaterThan(25);
    // Data arrives with scrapes and rule evaluations (every second): poll briefly.
    let empty: string[] = [];
    await waitFor(
      async () => {
        empty = [];
        for (const { where, expr } of exprs) {
          const result = await prometheus.query(expr);
          const finite = result.filter((s) => Number.isFinite(Number(s.value[1])));
          if (finite.length === 0) empty.push(`${where}: ${expr}`);
        }
        return empty.length === 0;
      },
      { timeoutMs: 20_000, intervalMs: 1000, describe: () => empty.join('\n') },
    );
  });

  it('an expression with a typo in a metric name returns nothing (the check can fail)', async () => {
    const result = await prometheus.query(
      toPromql('sum by (layer) (rate(strata_request_layer_time_second_total{job=~"$job"}[$__rate_interval]))'),
    );
    expect(result).toEqual([]);
  });
});
