import { describe, expect, it } from 'vitest';
import { scrape } from '../../support/prometheus-text.js';
import { waitFor } from '../../support/wait-for.js';
import {
  compareCounter,
  dbTimeMs,
  isPgQuery,
  layerSumNs,
  layersOf,
  requestInTurn,
  SPAN_TOLERANCE_MS,
  tracesOf,
  useShop,
} from './shop.js';

const COUNTER = 'strata_request_layer_time_seconds_total';
// No baseline and no slow outliers: only errors are kept, so a kept trace was kept for its error.
const ERRORS_ONLY_YAML = `
sampling:
  baseline: 0
  outliers:
    slow: { floor: 10s, ceiling: 20s }
  buffer:
    grace: 50ms
exporters:
  queue:
    delay: 100ms
`;

describe('layer attribution of a failing request', () => {
  const running = useShop(ERRORS_ONLY_YAML);

  it('keeps the trace of a failing query, with layers that still sum to the root', async () => {
    expect(await requestInTurn(running.shop.app, ['/broken', '/broken', '/broken'])).toEqual([
      500, 500, 500,
    ]);
    const traces = await tracesOf(running.receiver, '/broken', 3);
    for (const trace of traces) {
      const { root } = trace;
      expect(root.status.code).toBe(2);
      expect(root.attributes['http.response.status_code']).toBe(500);
      expect(root.attributes['strata.sampling.reason']).toBe('error');
      const failed = trace.spans.filter(isPgQuery);
      expect(failed).toHaveLength(1);
      expect(failed[0].status.code).toBe(2);
      const layers = layersOf(root);
      expect(Object.keys(layers).sort()).toEqual(['app', 'db', 'framework']);
      // The failed query's time is db time: getting a connection and the query, nothing else.
      // (A query error makes pg-pool close its connection: the next request connects anew.)
      expect(Math.abs(layers.db - dbTimeMs(trace))).toBeLessThan(SPAN_TOLERANCE_MS);
      expect(layerSumNs(root)).toBe(Number(root.durationNs));
    }
    const metrics = await scrape(running.shop.metricsUrl);
    const counter = compareCounter(metrics.samplesOf(COUNTER, { http_route: '/broken' }), traces);
    expect(Math.abs(counter.total - counter.rootTotal)).toBeLessThan(1e-9);
    for (const layer of Object.keys(counter.spansByLayer)) {
      expect(Math.abs(counter.byLayer[layer] - counter.spansByLayer[layer])).toBeLessThan(1e-9);
    }
  });

  it('counts the layer time of requests whose traces were dropped', async () => {
    expect(await requestInTurn(running.shop.app, ['/orders/7', '/orders/8'])).toEqual([200, 200]);
    // Metrics cover all traffic: both requests are counted although neither trace is kept.
    const samples = await waitFor(
      async () => {
        const found = (await scrape(running.shop.metricsUrl)).samplesOf(COUNTER, {
          http_route: '/orders/:id',
        });
        // Attribution runs after a grace for late children: wait for both requests.
        const db = found.find((s) => s.labels.layer === 'db');
        return db !== undefined && db.value >= 0.1 && found;
      },
      { timeoutMs: 5000 },
    );
    const byLayer = Object.fromEntries(samples.map((s) => [s.labels.layer, s.value]));
    expect(byLayer.db).toBeGreaterThanOrEqual(0.1);
    expect(byLayer.http).toBeGreaterThanOrEqual(0.06);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      running.receiver.spans().filter((s) => s.attributes['http.route'] === '/orders/:id'),
    ).toEqual([]);
  });
});
