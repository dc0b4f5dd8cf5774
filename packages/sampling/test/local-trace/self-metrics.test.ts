import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it, vi } from 'vitest';
import { fail, setup, under } from '../helpers/provider';

class TestReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

/** Metric points by name, each as `{attributes, value}`. */
async function read(reader: TestReader) {
  const { resourceMetrics } = await reader.collect();
  const points: Record<string, { attributes: Record<string, unknown>; value: unknown }[]> = {};
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      points[metric.descriptor.name] = metric.dataPoints.map((p) => ({
        attributes: p.attributes,
        value: p.value,
      }));
    }
  }
  return points;
}

describe('self-metrics', () => {
  it('counts traces by reason and decision, buffered spans and bytes, late and dropped spans', async () => {
    const reader = new TestReader();
    const meter = new MeterProvider({ readers: [reader] }).getMeter('strata');
    const { processor, tracer } = setup({
      baseline: 0,
      meter,
      buffer: { grace: 10, max_spans: 2 },
    });

    const open = tracer.startSpan('GET /open');
    tracer.startSpan('child', {}, under(open)).end();
    const slowChild = tracer.startSpan('slow child', {}, under(open));
    let points = await read(reader);
    expect(points['strata.sampling.buffer.spans'][0].value).toBe(1);
    expect(points['strata.sampling.buffer.bytes'][0].value).toBeGreaterThan(500);

    // Roots with a child still open wait for the grace; the buffer holds 2
    // spans, so each root that ends next evicts the oldest (decided early).
    const failed = tracer.startSpan('GET /fail');
    const failedChild = tracer.startSpan('db', {}, under(failed));
    fail(failed);
    failed.end();
    const ok = tracer.startSpan('GET /ok');
    const okChild = tracer.startSpan('cache', {}, under(ok));
    ok.end();
    open.end();
    await vi.waitFor(() => expect(processor.stats().pendingTraces).toBe(0), {
      timeout: 1000,
      interval: 5,
    });
    slowChild.end();
    failedChild.end();
    okChild.end();

    points = await read(reader);
    const traces = points['strata.sampling.traces'].map((p) => [
      p.attributes.reason,
      p.attributes.decision,
      p.value,
    ]);
    expect(traces).toEqual([
      ['error', 'keep', 1],
      ['none', 'drop', 2],
    ]);
    expect(points['strata.sampling.early.traces']).toEqual([
      { attributes: { cause: 'buffer_full' }, value: 2 },
    ]);
    expect(points['strata.sampling.late.spans']).toEqual([
      { attributes: { decision: 'drop' }, value: 2 },
      { attributes: { decision: 'keep' }, value: 1 },
    ]);
    expect(points['strata.sampling.buffer.spans'][0].value).toBe(0);
    expect(points['strata.sampling.buffer.bytes'][0].value).toBe(0);

    await processor.shutdown();
    tracer.startSpan('after').end();
    points = await read(reader);
    expect(points['strata.sampling.dropped.spans']).toEqual([
      { attributes: { reason: 'shutdown' }, value: 1 },
    ]);
  });
});
