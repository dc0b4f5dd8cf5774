import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { scrape } from '../../support/prometheus-text.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

async function load(url: string, total: number, concurrency: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const response = await fetch(url);
        await response.arrayBuffer();
        statuses.push(response.status);
      }
    }),
  );
  return statuses;
}

describe('a dead or hanging collector', () => {
  afterEach(() => stopAllApps());

  for (const mode of ['hang', 'refused'] as const) {
    it(`costs the application nothing visible (${mode}): requests answer, memory stays bounded, drops are counted`, async () => {
      const receiver = await startOtlpReceiver({ hang: mode === 'hang' });
      const endpoint = receiver.endpoint;
      if (mode === 'refused') await receiver.close();
      const config = writeConfig(`
sampling:
  baseline: 1
exporters:
  otlp:
    timeout: 300ms
  queue:
    max_spans: 256
    max_batch: 64
    delay: 20ms
`);
      const { env, metricsPort } = await strataEnv(receiver, {
        STRATA_CONFIG: config,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      });
      const app = await spawnApp({
        script: appPath('express-hello.cjs'),
        nodeArgs: REQUIRE_STRATA,
        env,
      });
      // V8 grows the young generation under load up to a fixed ceiling; a leak
      // keeps growing. Load in rounds until RSS stops growing, then require it
      // to stay flat over two more rounds (8,000 requests, ~4 spans each).
      const started = Date.now();
      const statuses: number[] = [];
      const rss: number[] = [];
      for (let round = 0; round < 8; round++) {
        statuses.push(...(await load(`${app.url}/users/1`, 4000, 20)));
        rss.push(rssBytes(app.pid));
        const n = rss.length;
        if (n >= 3 && rss[n - 1] - rss[n - 3] < 8 * 1024 * 1024) break;
      }
      const elapsed = Date.now() - started;
      const grown = rss[rss.length - 1] - rss[Math.max(0, rss.length - 3)];

      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(elapsed).toBeLessThan(50_000);
      expect(grown, `RSS per round: ${rss.map((b) => Math.round(b / 2 ** 20))} MB`).toBeLessThan(
        16 * 1024 * 1024,
      );
      const metrics = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(metrics.sum('strata_export_dropped_spans_total')).toBeGreaterThan(0);
      expect(metrics.sum('strata_export_queue_spans')).toBeLessThanOrEqual(256);
      if (mode === 'hang') await receiver.close();
    });
  }
});
