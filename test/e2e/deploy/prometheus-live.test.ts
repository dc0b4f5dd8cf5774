import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { type AppHandle, freePort, spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { waitFor } from '../../support/wait-for.js';
import { REQUIRE_STRATA, writeConfig } from '../node/helpers.js';
import { alertAsBool, dashboardExprs, type FoundExpr, ruleExprs, toPromql } from './helpers.js';
import { type PrometheusServer, startPrometheus } from './prometheus-server.js';

// Three services under Strata. A healthy Express app exporting to a real OTLP
// receiver. An Express app in trouble: its OTLP endpoint has no listener (export
// failures) and a 1 s root timeout decides slow requests early (late spans). And
// a node:http app whose 300-byte buffer, with many requests held open, has to
// decide traces early and drop spans. Between them every metric the dashboards
// and alerts read exists.
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
  buffer: { grace: 50ms, root_timeout: 1s }
exporters:
  queue: { delay: 100ms }
  otlp: { timeout: 500ms }
`;
const PRESSURE_YAML = `
sampling:
  baseline: 1
  buffer: { max_bytes: 300, grace: 50ms }
`;
const LOAD_MS = 6000;
const ROUTES = ['/', '/users/1', '/users/2', '/fail', '/slow?ms=30'];

async function startApp(
  script: string,
  yaml: string,
  endpoint: string,
  extraEnv: Record<string, string> = {},
) {
  const metricsPort = await freePort();
  const app = await spawnApp({
    script,
    nodeArgs: REQUIRE_STRATA,
    env: {
      ...extraEnv,
      STRATA_CONFIG: writeConfig(yaml),
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    },
  });
  return { app, target: `127.0.0.1:${metricsPort}` };
}

/** One client loop: requests `paths` in turn until the deadline, after `delayMs`. */
interface Loop {
  app: AppHandle;
  paths: string[];
  delayMs?: number;
}

/** Run the loops in parallel until `ms` have passed; resolves with the number of requests. */
async function load(loops: Loop[], ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let sent = 0;
  const run = async ({ app, paths, delayMs = 0 }: Loop, offset: number) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    for (let i = offset; Date.now() < deadline; i++) {
      const res = await app.fetch(paths[i % paths.length]);
      await res.arrayBuffer();
      sent++;
    }
  };
  await Promise.all(loops.map((loop, n) => run(loop, n)));
  return sent;
}

const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

describe('deploy/ dashboards and rules against a real Prometheus scraping Strata', () => {
  let receiver: OtlpReceiver;
  let prometheus: PrometheusServer;
  let deadPort: number;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    deadPort = await freePort();
    const dead = `http://127.0.0.1:${deadPort}`;
    const express = appPath('express-hello.cjs');
    const healthy = await startApp(express, HEALTHY_YAML, receiver.endpoint);
    const trouble = await startApp(express, TROUBLE_YAML, dead);
    const pressure = await startApp(
      path.join(__dirname, 'apps', 'buffer-pressure.cjs'),
      PRESSURE_YAML,
      dead,
    );
    const outbound = await startApp(
      path.join(__dirname, 'apps', 'outbound.cjs'),
      HEALTHY_YAML,
      receiver.endpoint,
      { OUTBOUND_URL: healthy.app.url },
    );
    prometheus = await startPrometheus([
      healthy.target,
      trouble.target,
      pressure.target,
      outbound.target,
    ]);
    await waitFor(async () => (await prometheus.query('up == 1')).length === 4, {
      timeoutMs: 15_000,
      describe: () => prometheus.output(),
    });
    const sent = await load(
      [
        ...times(5, () => ({ app: healthy.app, paths: ROUTES })),
        ...times(2, () => ({ app: outbound.app, paths: ['/call'] })),
        ...times(3, () => ({ app: trouble.app, paths: ROUTES })),
        ...times(3, () => ({ app: trouble.app, paths: ['/slow?ms=1500'] })),
        // Holds first, so their open roots are the oldest when /work needs room.
        ...times(24, () => ({ app: pressure.app, paths: ['/hold'] })),
        ...times(2, () => ({ app: pressure.app, paths: ['/work'], delayMs: 300 })),
      ],
      LOAD_MS,
    );
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
        if (empty.length)
          console.log(
            JSON.stringify(await prometheus.query('strata_sampling_dropped_spans_total[1m]')),
            JSON.stringify(await prometheus.query('strata_sampling_early_traces_total')),
          );
        return empty.length === 0;
      },
      { timeoutMs: 20_000, intervalMs: 1000, describe: () => empty.join('\n') },
    );
  });

  it('an expression with a typo in a metric name returns nothing (the check can fail)', async () => {
    const result = await prometheus.query(
      toPromql(
        'sum by (layer) (rate(strata_request_layer_time_second_total{job=~"$job"}[$__rate_interval]))',
      ),
    );
    expect(result).toEqual([]);
  });
});
