import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../../support/otlp-receiver.js';
import { scrape } from '../../support/prometheus-text.js';
import { appPath } from '../../support/paths.js';
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
      const app = await spawnApp({ script: appPath('express-hello.cjs'), nodeArgs: REQUIRE_STRATA, env });
      await load(`${app.url}/users/1`, 500, 10); // warm up
      const rssBefore = rssBytes(app.pid);
      const started = Date.now();
      const statuses = await load(`${app.url}/users/1`, 4000, 20);
      const elapsed = Date.now() - started;
      const rssAfter = rssBytes(app.pid);

      console.log(JSON.stringify({ mode, rssBefore, rssAfter, elapsed }));
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(elapsed).toBeLessThan(30_000);
      // 8,000 requests, ~4 spans each: a leak of the dropped spans would show as tens of MB.
      expect(rssAfter - rssBefore).toBeLessThan(24 * 1024 * 1024);
      const metrics = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(metrics.sum('strata_export_dropped_spans_total')).toBeGreaterThan(0);
      expect(metrics.sum('strata_export_queue_spans')).toBeLessThanOrEqual(256);
      if (mode === 'hang') await receiver.close();
    });
  }
});
