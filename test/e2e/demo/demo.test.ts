import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OutlierReport, Report, RouteReport } from '@strata/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { repoRoot } from '../../support/paths.js';
import { type AppHandle, spawnApp, stopAllApps } from '../../support/spawn-app.js';

// `npm run demo` as CI runs it: shortened, on the real PostgreSQL and Redis.
const DEMO = path.join(repoRoot, 'examples/shop/demo.js');

function runDemo(env: Record<string, string>): Promise<AppHandle> {
  return spawnApp({
    script: DEMO,
    waitReady: false,
    env: { STRATA_DEMO_DIR: mkdtempSync(path.join(tmpdir(), 'strata-demo-')), ...env },
  });
}

/** The pids the demo printed for the services it started. */
function servicePids(output: string): number[] {
  const match = /pids: (.+?)\)/.exec(output);
  if (!match) throw new Error(`no pids in the demo's output:\n${output}`);
  return [...match[1].matchAll(/\w+ (\d+)/g)].map((m) => Number(m[1]));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run demo (examples/shop/demo.js)', () => {
  afterAll(stopAllApps);

  describe('with PostgreSQL and Redis', () => {
    let demo: AppHandle;
    let report: Report;
    let stdout: string;
    const jsonFile = path.join(mkdtempSync(path.join(tmpdir(), 'strata-demo-')), 'report.json');
    const route = (service: string, name: string) =>
      report.routes.find((r) => r.service === service && r.route === name) as RouteReport;
    const outliers = (match: Partial<OutlierReport>) =>
      report.outliers.filter((o) =>
        Object.entries(match).every(([k, v]) => o[k as keyof OutlierReport] === v),
      );

    beforeAll(async () => {
      demo = await runDemo({ STRATA_DEMO_SECONDS: '15', STRATA_DEMO_JSON: jsonFile });
      const exit = await demo.exited;
      stdout = demo.stdout();
      expect(exit, demo.stderr()).toEqual({ code: 0, signal: null });
      report = JSON.parse(readFileSync(jsonFile, 'utf8'));
    }, 60_000);

    it('drives load with a progress bar and prints the report', () => {
      expect(stdout).toMatch(/load \[#{30}\] 15\/15 s {2}\d+ requests/);
      expect(stdout).toContain('== Layers per route');
      expect(stdout).toContain('== Outliers: ');
      expect(stdout).toContain('== Sampling ==');
      expect(report.services).toEqual(['catalog', 'gateway', 'payments']);
    });

    it('shows the injected slow cache as the dominant layer of the cart, and when it happened', () => {
      const cart = route('gateway', 'GET /api/cart/:user');
      expect(cart.basis).toBe('baseline');
      expect(cart.dominantLayer).toBe('cache');
      expect(stdout).toMatch(
        /^gateway {2}GET \/api\/cart\/:user .*\n(?: .*\n)*? {2}dominant layer: cache$/m,
      );
      // Chatty Redis (30 ms a read) in the middle third: every bucket there shows it; outside it,
      // most buckets are sub-millisecond reads (a few hold one of the 300 ms outliers). Outside
      // is compared with the middle, not with a fixed figure: a loaded machine (a full e2e run)
      // slows every read, and once pushed more than half the outside buckets past 5 ms, and
      // another time to 9.5 ms against a middle of 22.6 ms at least: twice, not four times.
      // The load's own span: the report's window also covers the services' start-up queries.
      const busy = cart.timeline.flatMap((b, i) => (b.requests > 0 ? [i] : []));
      const first = busy[0];
      const n = busy[busy.length - 1] + 1 - first;
      const cache = (from: number, to: number) =>
        cart.timeline
          .filter((b, i) => b.requests > 0 && i - first >= from * n && i - first < to * n)
          .map((b) => b.layers.cache ?? 0);
      const middle = cache(0.4, 0.6);
      expect(middle.length).toBeGreaterThan(0);
      expect(Math.min(...middle)).toBeGreaterThan(10);
      const outside = [...cache(0, 0.3), ...cache(0.7, 1)];
      expect(outside.length).toBeGreaterThan(0);
      const sorted = [...outside].sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length / 2)] * 2).toBeLessThan(Math.min(...middle));
      // The database dominates the catalog, the outbound call the gateway's product pages.
      expect(route('catalog', 'GET /products/:id').dominantLayer).toBe('db');
      expect(route('gateway', 'GET /api/products').dominantLayer).toBe('http');
    });

    it('lists the injected outliers with their reason and dominant layer', () => {
      // Under load an ordinary request can be slow too: the injected ones are the long ones.
      const slowQueries = outliers({
        service: 'catalog',
        route: 'GET /products/:id',
        dominantLayer: 'db',
      }).filter((o) => o.durationMs > 150);
      expect(slowQueries.length).toBeGreaterThanOrEqual(3);
      for (const o of slowQueries) expect(['rule:slow-db', 'slow']).toContain(o.reason);
      const slowCache = outliers({
        reason: 'slow',
        route: 'GET /api/cart/:user',
        dominantLayer: 'cache',
      }).filter((o) => o.durationMs > 300);
      expect(slowCache.length).toBeGreaterThanOrEqual(3);
      const slowPayments = outliers({
        reason: 'slow',
        service: 'payments',
        dominantLayer: 'app',
      }).filter((o) => o.durationMs > 300);
      expect(slowPayments.length).toBeGreaterThanOrEqual(3);
      const failed = outliers({ reason: 'error', service: 'payments', route: 'POST /charge' });
      expect(failed.length).toBeGreaterThanOrEqual(3);
      // The caller kept its part too, so the whole trace is there.
      expect(failed.some((o) => o.alsoKept.includes('gateway (callee)'))).toBe(true);
      expect(stdout).toMatch(/^ {2}slow +gateway +GET \/api\/cart\/:user +\d+\.\d ms {2}cache /m);
    });

    it('estimates the request count from the baseline adjusted counts', () => {
      const sent = Number(/(\d+) requests sent/.exec(stdout)?.[1]);
      expect(sent).toBeGreaterThan(200);
      expect(report.sampling.probabilities).toEqual([0.25]);
      // Baseline p = 0.25 over a few hundred requests: well within ±35%.
      expect(report.sampling.estimatedRequests).toBeGreaterThan(sent * 0.65);
      expect(report.sampling.estimatedRequests).toBeLessThan(sent * 1.35);
    });

    it('stops every service it started', () => {
      const pids = servicePids(stdout);
      expect(pids).toHaveLength(3);
      for (const pid of pids) expect(isRunning(pid)).toBe(false);
    });
  });

  it('stops its services on Ctrl-C', async () => {
    const demo = await runDemo({ STRATA_DEMO_SECONDS: '120' });
    await demo.waitForOutput(/load \[/, { timeoutMs: 30_000 });
    const pids = servicePids(demo.stdout());
    for (const pid of pids) expect(isRunning(pid)).toBe(true);
    const started = Date.now();
    const exit = await demo.kill('SIGINT');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(exit.code).toBe(0);
    expect(demo.stderr()).toContain('interrupted: stopping the services');
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
  }, 60_000);

  it('says what is missing and runs the hello app when PostgreSQL is unreachable', async () => {
    const closedPort = await freePort();
    const demo = await runDemo({ STRATA_DEMO_SECONDS: '3', PGPORT: String(closedPort) });
    const exit = await demo.exited;
    const out = demo.stdout();
    expect(exit, demo.stderr()).toEqual({ code: 0, signal: null });
    expect(out).toContain(
      `The shop example needs PostgreSQL on 127.0.0.1:${closedPort}, which did not answer.`,
    );
    expect(out).toContain('Running the hello example instead.');
    expect(out).toMatch(/^hello {2}GET \/users\/:id /m);
    expect(out).toContain('== Sampling ==');
  }, 60_000);
});
