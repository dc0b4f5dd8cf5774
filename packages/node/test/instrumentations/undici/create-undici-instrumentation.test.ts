import { setTimeout as sleep } from 'node:timers/promises';
import { type Attributes, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { type HistogramMetricData, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUndiciInstrumentation } from '../../../src/instrumentations/undici/create-undici-instrumentation';
import { listen, setupTracing } from '../http-server/harness';

const tracing = setupTracing();
const { exporter, provider } = tracing;

class PullReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

let app: Awaited<ReturnType<typeof listen>>;
let closedPort: number;
const traceparents: string[] = [];

beforeAll(async () => {
  app = await listen((req, res) => {
    traceparents.push(String(req.headers.traceparent));
    const path = req.url ?? '/';
    if (path.startsWith('/slow')) {
      setTimeout(() => res.end('late'), 500).unref();
      return;
    }
    res.statusCode = path === '/missing' ? 404 : path === '/fail' ? 500 : 200;
    res.end('ok');
  });
  const closed = await listen(() => {});
  closedPort = closed.port;
  await closed.close();
});
afterAll(async () => {
  await app.close();
  tracing.teardown();
});
beforeEach(() => {
  exporter.reset();
  traceparents.length = 0;
});

/** Every kind of call the instrumentations tell apart, one after the other. */
async function calls(): Promise<void> {
  const base = `http://127.0.0.1:${app.port}`;
  const read = async (url: string, init?: RequestInit) => {
    try {
      await (await fetch(url, init)).arrayBuffer();
    } catch {
      // refused and aborted calls end in an error: their spans are what is compared
    }
  };
  await read(`${base}/price/7?currency=EUR`);
  await read(`${base}/search?`);
  await read(`${base}/orders`, {
    method: 'POST',
    body: '{}',
    headers: { 'user-agent': 'shop/2.0' },
  });
  await read(`${base}/cache`, { method: 'PURGE' });
  await read(`${base}/missing`);
  await read(`${base}/fail`);
  await read(`${base}/p/ä ö/../x`);
  await read(`http://localhost:${app.port}/by-name`);
  await read(`http://127.0.0.1:${closedPort}/refused`);
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 50);
  await read(`${base}/slow`, { signal: abort.signal });
}

/** Spans and duration points without what differs from one call to the next (ids, times). */
async function record(start: (meterProvider: MeterProvider) => () => void) {
  const reader = new PullReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const stop = start(meterProvider);
  try {
    await calls();
    await sleep(20);
  } finally {
    stop();
  }
  const spans = exporter.getFinishedSpans().map((span: ReadableSpan) => ({
    name: span.name,
    kind: span.kind,
    attributes: span.attributes,
    status: span.status,
    events: span.events.map((e) => ({ name: e.name, type: e.attributes?.['exception.type'] })),
  }));
  const { resourceMetrics } = await reader.collect();
  const points = resourceMetrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .filter((m) => m.descriptor.name === 'http.client.request.duration')
    .flatMap((m) => (m as HistogramMetricData).dataPoints)
    .map((p) => ({ attributes: p.attributes as Attributes, count: p.value.count }));
  const descriptor = resourceMetrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === 'http.client.request.duration')?.descriptor;
  await meterProvider.shutdown();
  const ids = exporter
    .getFinishedSpans()
    .map((s) => `${s.spanContext().traceId}-${s.spanContext().spanId}`);
  return { spans, points, descriptor, ids, traceparents: [...traceparents] };
}

const byUrl = <T extends { attributes: Attributes }>(list: T[]) =>
  [...list].sort((a, b) =>
    JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)),
  );

describe('createUndiciInstrumentation', () => {
  let stock: Awaited<ReturnType<typeof record>>;
  let strata: Awaited<ReturnType<typeof record>>;

  beforeAll(async () => {
    stock = await record((meterProvider) => {
      const instrumentation = new UndiciInstrumentation();
      instrumentation.setTracerProvider(provider);
      instrumentation.setMeterProvider(meterProvider);
      instrumentation.enable();
      return () => instrumentation.disable();
    });
    exporter.reset();
    traceparents.length = 0;
    strata = await record((meterProvider) => {
      const instrumentation = createUndiciInstrumentation();
      instrumentation.enable(provider, meterProvider);
      return () => instrumentation.disable();
    });
  });

  it('makes the spans the stock instrumentation makes, attribute for attribute', () => {
    // Every call but the refused one reaches the server; the refused one still has its span.
    expect(stock.spans.length).toBeGreaterThanOrEqual(10);
    expect(byUrl(strata.spans)).toEqual(byUrl(stock.spans));
  });

  it('records http.client.request.duration with the stock labels and counts', () => {
    expect(stock.points.length).toBeGreaterThanOrEqual(6);
    expect(byUrl(strata.points)).toEqual(byUrl(stock.points));
    expect(strata.descriptor).toMatchObject({
      name: 'http.client.request.duration',
      unit: 's',
      description: stock.descriptor?.description,
    });
  });

  it('marks failed calls as the stock one does', () => {
    const failed = strata.spans.filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(failed.map((s) => s.attributes['error.type']).sort()).toEqual([
      '404',
      '500',
      'ECONNREFUSED',
    ]);
    const aborted = strata.spans.find((s) => s.attributes['url.path'] === '/slow');
    expect(aborted?.status.code).toBe(SpanStatusCode.UNSET);
    expect(strata.spans.every((s) => s.kind === SpanKind.CLIENT)).toBe(true);
  });

  it('sends each call its span as traceparent', () => {
    const spanIds = new Set(strata.ids);
    expect(strata.traceparents.length).toBeGreaterThanOrEqual(8);
    for (const header of strata.traceparents) {
      expect(spanIds.has(header.split('-').slice(1, 3).join('-'))).toBe(true);
    }
  });

  it('hands each response head to onResponse with its span', async () => {
    const seen: [string, number][] = [];
    const instrumentation = createUndiciInstrumentation({
      onResponse: (span, response) => {
        seen.push([(span as unknown as ReadableSpan).name, response.statusCode]);
        throw new Error('a failing hook never reaches the caller');
      },
    });
    instrumentation.enable(provider);
    try {
      const response = await fetch(`http://127.0.0.1:${app.port}/missing`);
      expect(response.status).toBe(404);
      await response.arrayBuffer();
    } finally {
      instrumentation.disable();
    }
    expect(seen).toEqual([['GET', 404]]);
  });

  it('records nothing once disabled', async () => {
    exporter.reset();
    const instrumentation = createUndiciInstrumentation();
    instrumentation.enable(provider);
    instrumentation.disable();
    await (await fetch(`http://127.0.0.1:${app.port}/price/1`)).arrayBuffer();
    await sleep(20);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
