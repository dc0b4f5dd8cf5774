import { beforeAll, describe, expect, it } from 'vitest';
import { scrape } from '../../support/prometheus-text.js';
import { KEEP_ALL_YAML } from '../node/helpers.js';
import {
  compareCounter,
  dbTimeMs,
  durationsMs,
  type ExportedTrace,
  isHttpClient,
  isPgQuery,
  isRedis,
  layerSumNs,
  layersOf,
  median,
  requestInTurn,
  SPAN_TOLERANCE_MS,
  sum,
  tracesOf,
  useShop,
} from './shop.js';

const COUNTER = 'strata_request_layer_time_seconds_total';

describe('layer attribution of a real service (PostgreSQL, Redis, outbound HTTP)', () => {
  const running = useShop(KEEP_ALL_YAML);
  // What the calls cost alone on this machine, through the same clients and instrumentation:
  // `SELECT pg_sleep(0.05)` takes ~50.8 ms and a loopback HTTP round trip ≥ 2 ms on a loaded
  // 2-core box even without instrumentation. Minimums: load only ever adds to them.
  let pgSleepMs: number;
  let httpTripMs: number;

  beforeAll(async () => {
    // The first run also warms the app's code paths (JIT, first fetches); measure the second.
    expect(await requestInTurn(running.shop.app, ['/calibrate', '/calibrate'])).toEqual([200, 200]);
    const calibration = (await tracesOf(running.receiver, '/calibrate', 2)).sort((a, b) =>
      Number(a.root.startTimeUnixNano - b.root.startTimeUnixNano),
    )[1];
    const queries = calibration.spans.filter(isPgQuery);
    pgSleepMs = Math.min(
      ...durationsMs({ root: calibration.root, spans: queries }, (s) =>
        /pg_sleep\(0\.05\)/.test(String(s.attributes['db.query.text'])),
      ),
    );
    httpTripMs = Math.min(...durationsMs(calibration, isHttpClient));
  });

  async function counterOf(route: string, traces: ExportedTrace[]) {
    const metrics = await scrape(running.shop.metricsUrl);
    expect(metrics.types[COUNTER]).toBe('counter');
    return compareCounter(metrics.samplesOf(COUNTER, { http_route: route }), traces);
  }

  it('splits a request into db ≈ 50 ms, http ≈ 30 ms, cache, framework and app, summing to its duration', async () => {
    const statuses = await requestInTurn(running.shop.app, [
      '/orders/1',
      '/orders/2',
      '/orders/3',
      '/orders/4',
      '/orders/5',
    ]);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const traces = await tracesOf(running.receiver, '/orders/:id', 5);

    for (const trace of traces) {
      const { root } = trace;
      const layers = layersOf(root);
      expect(Object.keys(layers).sort()).toEqual(['app', 'cache', 'db', 'framework', 'http']);
      // Exact: the layers split the root's integer nanoseconds.
      expect(layerSumNs(root)).toBe(Number(root.durationNs));
      // Sequential calls: each layer is exactly the time of its spans (connect + query for db).
      expect(Math.abs(layers.db - dbTimeMs(trace))).toBeLessThan(SPAN_TOLERANCE_MS);
      expect(Math.abs(layers.cache - sum(durationsMs(trace, isRedis)))).toBeLessThan(
        SPAN_TOLERANCE_MS,
      );
      expect(Math.abs(layers.http - sum(durationsMs(trace, isHttpClient)))).toBeLessThan(
        SPAN_TOLERANCE_MS,
      );
    }

    const db = median(traces.map((t) => layersOf(t.root).db));
    const http = median(traces.map((t) => layersOf(t.root).http));
    console.info(
      `orders: db ${db.toFixed(3)} ms (query alone ≥ ${pgSleepMs.toFixed(3)}), http ${http.toFixed(3)} ms (round trip ≥ ${httpTripMs.toFixed(3)})`,
    );
    // pg_sleep(0.05) and a 30 ms answer cannot be faster; the rest is what the calls cost here.
    expect(db).toBeGreaterThanOrEqual(50);
    expect(db - pgSleepMs).toBeLessThanOrEqual(2);
    expect(http).toBeGreaterThanOrEqual(30);
    expect(http - (30 + httpTripMs)).toBeLessThanOrEqual(2);

    const counter = await counterOf('/orders/:id', traces);
    expect(counter.samples.map((s) => `${s.labels.layer}/${s.labels.layer_system}`).sort()).toEqual(
      ['app/http', 'cache/redis', 'db/postgresql', 'framework/express', 'http/127.0.0.1'],
    );
    for (const { labels } of counter.samples) {
      expect(Object.keys(labels)).toEqual(
        expect.arrayContaining(['layer', 'layer_system', 'http_route', 'http_request_method']),
      );
      expect(labels.http_request_method).toBe('GET');
    }
    // Over layers the counter is the requests' summed duration, and per layer what the spans carry.
    expect(Math.abs(counter.total - counter.rootTotal)).toBeLessThan(1e-9);
    for (const layer of Object.keys(counter.spansByLayer)) {
      expect(Math.abs(counter.byLayer[layer] - counter.spansByLayer[layer])).toBeLessThan(1e-9);
    }
  });

  it('counts twenty sequential sub-millisecond cache calls in full', async () => {
    expect(
      await requestInTurn(running.shop.app, ['/cache-burst', '/cache-burst', '/cache-burst']),
    ).toEqual([200, 200, 200]);
    const traces = await tracesOf(running.receiver, '/cache-burst', 3);
    for (const trace of traces) {
      const gets = durationsMs(trace, isRedis);
      expect(gets).toHaveLength(20);
      expect(layerSumNs(trace.root)).toBe(Number(trace.root.durationNs));
      // Span starts are stamped in whole milliseconds: calls of one millisecond must not collapse.
      expect(Math.abs(layersOf(trace.root).cache - sum(gets))).toBeLessThan(SPAN_TOLERANCE_MS);
    }
  });

  it('gives two parallel 50 ms queries 50 ms of db wall time, not 100', async () => {
    const paths = ['/parallel', '/parallel', '/parallel', '/parallel', '/parallel'];
    expect(await requestInTurn(running.shop.app, paths)).toEqual(paths.map(() => 200));
    const traces = await tracesOf(running.receiver, '/parallel', paths.length);
    for (const trace of traces) {
      const queries = durationsMs(trace, isPgQuery);
      expect(queries).toHaveLength(2);
      // The work is two queries' worth; the wall time is the longer one (they overlap).
      expect(sum(queries)).toBeGreaterThanOrEqual(100);
      const { db } = layersOf(trace.root);
      // The wall time is at least the longer query, far from the sum serial queries would give.
      expect(db).toBeGreaterThanOrEqual(Math.max(...queries) - SPAN_TOLERANCE_MS);
      expect(db).toBeLessThanOrEqual(sum(queries) - Math.min(...queries) / 2);
      expect(layerSumNs(trace.root)).toBe(Number(trace.root.durationNs));
    }
    const db = median(traces.map((t) => layersOf(t.root).db));
    console.info(
      `parallel: db ${db.toFixed(3)} ms, work ${median(traces.map((t) => sum(durationsMs(t, isPgQuery)))).toFixed(3)} ms`,
    );
    expect(db).toBeGreaterThanOrEqual(50);
    // Beyond the longer query: only the few µs to ms the second starts late.
    expect(
      median(traces.map((t) => layersOf(t.root).db - Math.max(...durationsMs(t, isPgQuery)))),
    ).toBeLessThanOrEqual(2);

    const counter = await counterOf('/parallel', traces);
    expect(Math.abs(counter.total - counter.rootTotal)).toBeLessThan(1e-9);
    expect(Math.abs(counter.byLayer.db - counter.spansByLayer.db)).toBeLessThan(1e-9);
  });
});
