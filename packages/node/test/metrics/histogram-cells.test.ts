import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createHistogramCells } from '../../src/metrics/histogram-cells';

class TestReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

const OPTIONS = { description: 'd', unit: 's', boundaries: [0.01, 0.1, 1], scope: 'test' };

describe('createHistogramCells', () => {
  it('aggregates per attributes object and reaches readers through the producer', async () => {
    const cells = createHistogramCells();
    const reader = new TestReader({ metricProducers: [cells.producer] });
    new MeterProvider({ readers: [reader] });
    const histogram = cells.histogram('strata.request.layer.duration', OPTIONS);
    const db = { layer: 'db' };
    const app = { layer: 'app' };
    for (const value of [0.005, 0.01, 0.05, 2]) histogram.record(value, db);
    histogram.record(0.2, app);

    const { resourceMetrics } = await reader.collect();
    const scope = resourceMetrics.scopeMetrics.find((s) => s.scope.name === 'test');
    const metric = scope?.metrics[0];
    expect(metric?.descriptor).toMatchObject({ name: 'strata.request.layer.duration', unit: 's' });
    const points = metric?.dataPoints.map((p) => [p.attributes, p.value]);
    expect(points).toEqual([
      [
        db,
        {
          buckets: { boundaries: [0.01, 0.1, 1], counts: [2, 1, 0, 1] },
          sum: 2.065,
          count: 4,
          min: 0.005,
          max: 2,
        },
      ],
      [
        app,
        {
          buckets: { boundaries: [0.01, 0.1, 1], counts: [0, 0, 1, 0] },
          sum: 0.2,
          count: 1,
          min: 0.2,
          max: 0.2,
        },
      ],
    ]);
  });

  it('ignores negative and non-finite values', async () => {
    const cells = createHistogramCells();
    const histogram = cells.histogram('h', OPTIONS);
    const attrs = {};
    histogram.record(-1, attrs);
    histogram.record(Number.NaN, attrs);
    histogram.record(Number.POSITIVE_INFINITY, attrs);
    const { resourceMetrics } = await cells.producer.collect();
    expect(resourceMetrics.scopeMetrics).toEqual([]);
  });

  it('bounds the number of attribute sets, past it values go to the overflow set', async () => {
    const cells = createHistogramCells();
    const histogram = cells.histogram('h', { ...OPTIONS, maxCells: 2 });
    for (let i = 0; i < 10; i++) histogram.record(0.5, { i });
    const { resourceMetrics } = await cells.producer.collect();
    const points = resourceMetrics.scopeMetrics[0].metrics[0].dataPoints;
    expect(points.map((p) => p.attributes)).toEqual([
      { i: 0 },
      { i: 1 },
      { 'otel.metric.overflow': true },
    ]);
    expect(points[2].value).toMatchObject({ count: 8 });
  });
});
