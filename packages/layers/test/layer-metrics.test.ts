import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  attributeLayers,
  createLayerClassifier,
  createLayerMetrics,
  LAYER_DURATION_BUCKETS,
  type LayerAttribution,
  type LayerMetricsOptions,
} from '../src/index';
import { span } from './fixtures';

class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function setup(options: LayerMetricsOptions = { maxRoutes: 100 }) {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  const metrics = createLayerMetrics(provider.getMeter('test'), options);
  const collect = async () => {
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    const all = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const byName = (name: string) => all.find((m) => m.descriptor.name === name);
    return {
      resourceMetrics,
      counter: byName('strata.request.layer.time'),
      histogram: byName('strata.request.layer.duration'),
    };
  };
  return { metrics, collect };
}

const result = (entries: Array<[string, string, number]>): LayerAttribution => ({
  total: entries.reduce((sum, [, , wall]) => sum + wall, 0),
  entries: entries.map(([layer, system, wall]) => ({ layer, system, wall, work: wall })),
});

const points = (metric: MetricData | undefined) =>
  (metric?.dataPoints ?? []) as DataPoint<unknown>[];

describe('createLayerMetrics', () => {
  it('creates the counter and histogram with the contract names, units and buckets', async () => {
    const { metrics, collect } = setup();
    metrics.record(result([['db', 'postgresql', 5_000_000]]), {
      route: '/users/:id',
      method: 'GET',
    });
    const { counter, histogram } = await collect();
    expect(counter?.descriptor).toMatchObject({ name: 'strata.request.layer.time', unit: 's' });
    expect(counter).toMatchObject({ isMonotonic: true });
    expect(histogram?.descriptor).toMatchObject({
      name: 'strata.request.layer.duration',
      unit: 's',
    });
    const h = points(histogram)[0].value as Histogram;
    expect(h.buckets.boundaries).toEqual(LAYER_DURATION_BUCKETS);
    expect(h).toMatchObject({ count: 1, sum: 0.005 });
  });

  it('labels the counter with layer, layer.system, route and method; the histogram per layer', async () => {
    const { metrics, collect } = setup();
    metrics.record(
      result([
        ['app', 'http', 1_000_000],
        ['http', 'billing', 10_000_000],
        ['http', 'stock', 20_000_000],
      ]),
      { route: '/checkout', method: 'post' },
    );
    const { counter, histogram } = await collect();
    const base = { 'http.route': '/checkout', 'http.request.method': 'POST' };
    expect(points(counter).map((p) => [p.attributes, p.value])).toEqual([
      [{ layer: 'app', 'layer.system': 'http', ...base }, 0.001],
      [{ layer: 'http', 'layer.system': 'billing', ...base }, 0.01],
      [{ layer: 'http', 'layer.system': 'stock', ...base }, 0.02],
    ]);
    expect(points(histogram).map((p) => [p.attributes, (p.value as Histogram).sum])).toEqual([
      [{ layer: 'app', ...base }, 0.001],
      [{ layer: 'http', ...base }, 0.03],
    ]);
  });

  it('sums, over layers and requests, to the summed request durations', async () => {
    const { metrics, collect } = setup();
    const { classify } = createLayerClassifier();
    let durations = 0;
    for (let r = 0; r < 50; r++) {
      const spans = [span('r', undefined, 0, 3_000_000 + r * 17_333)];
      for (let i = 0; i < 10; i++) {
        const start = (i * 311_111 + r * 7_919) % 3_000_000;
        spans.push(
          span(
            `c${i}`,
            i % 3 === 0 ? 'r' : `c${i - 1}`,
            start,
            start + 900_001,
            ['db', 'cache', 'http'][i % 3],
            `s${i % 2}`,
          ),
        );
      }
      const attribution = attributeLayers(spans, 0, classify);
      durations += attribution.total;
      metrics.record(attribution, { route: `/r${r % 3}`, method: 'GET' });
    }
    const { counter } = await collect();
    const sum = points(counter).reduce((acc, p) => acc + (p.value as number), 0);
    expect(sum).toBeCloseTo(durations / 1e9, 9);
  });

  it('bounds routes: past maxRoutes new routes read _other, known ones stay', async () => {
    const { metrics, collect } = setup({ maxRoutes: 2 });
    for (const route of ['/a', '/b', '/c', '/d', '/a'])
      metrics.record(result([['db', 'pg', 1e6]]), { route, method: 'GET' });
    const { counter } = await collect();
    expect(points(counter).map((p) => [p.attributes['http.route'], p.value])).toEqual([
      ['/a', 0.002],
      ['/b', 0.001],
      ['_other', 0.002],
    ]);
  });

  it('bounds systems per layer with maxSystems', async () => {
    const { metrics, collect } = setup({ maxRoutes: 10, maxSystems: 1 });
    metrics.record(
      result([
        ['http', 'a', 1e6],
        ['http', 'b', 1e6],
      ]),
      {},
    );
    const { counter } = await collect();
    expect(points(counter).map((p) => p.attributes['layer.system'])).toEqual(['a', '_other']);
  });

  it('normalises methods and leaves out missing labels', async () => {
    const { metrics, collect } = setup();
    metrics.record(result([['db', 'pg', 1e6]]), { method: 'PROPFIND' });
    metrics.record(result([['db', 'pg', 1e6]]), {});
    const { counter } = await collect();
    expect(points(counter).map((p) => p.attributes)).toEqual([
      { layer: 'db', 'layer.system': 'pg', 'http.request.method': '_OTHER' },
      { layer: 'db', 'layer.system': 'pg' },
    ]);
  });

  it('records nothing for layers with no time', async () => {
    const { metrics, collect } = setup();
    metrics.record(
      result([
        ['app', 'http', 0],
        ['db', 'pg', 2e6],
      ]),
      { route: '/', method: 'GET' },
    );
    const { counter, histogram } = await collect();
    expect(points(counter).map((p) => p.attributes.layer)).toEqual(['db']);
    expect(points(histogram).map((p) => p.attributes.layer)).toEqual(['db']);
  });

  // The contract name is strata_request_layer_time_seconds_total. The stock JS Prometheus
  // serializer writes the unit only as `# UNIT` metadata and does not append `_seconds`
  // (open-telemetry/opentelemetry-js#3466), so @strata/node's Prometheus endpoint must add the
  // unit suffix. This pins what this package hands over: base name, unit, counter type.
  it('reaches the Prometheus serializer as a counter of seconds', async () => {
    const { metrics, collect } = setup();
    metrics.record(result([['db', 'postgresql', 50_000_000]]), {
      route: '/users/:id',
      method: 'GET',
    });
    const { resourceMetrics } = await collect();
    const text = new PrometheusSerializer(undefined, false, undefined, true, true).serialize(
      resourceMetrics,
    );
    expect(text).toContain(
      '# UNIT strata_request_layer_time_total s\n# TYPE strata_request_layer_time_total counter',
    );
    expect(text).toContain(
      'strata_request_layer_time_total{layer="db",layer_system="postgresql",http_route="/users/:id",http_request_method="GET"} 0.05',
    );
    expect(text).toContain(
      'strata_request_layer_duration_bucket{layer="db",http_route="/users/:id",http_request_method="GET",le="0.05"} 1',
    );
  });
});
