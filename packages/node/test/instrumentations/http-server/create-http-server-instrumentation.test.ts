import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { getRPCMetadata, isTracingSuppressed } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { type HistogramMetricData, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpServerInstrumentation } from '../../../src/instrumentations/http-server/create-http-server-instrumentation';
import type { HttpServerInstrumentation } from '../../../src/instrumentations/http-server/types';
import { byName, get, listen, setupTracing } from './harness';

const tracing = setupTracing();
const { exporter, provider } = tracing;
let instrumentation: HttpServerInstrumentation | undefined;

function enable(
  options: Parameters<typeof createHttpServerInstrumentation>[0] = {},
  meterProvider?: MeterProvider,
) {
  instrumentation = createHttpServerInstrumentation(options);
  instrumentation.enable(provider, meterProvider);
  return instrumentation;
}

beforeEach(() => exporter.reset());
afterEach(() => instrumentation?.disable());
afterAll(() => tracing.teardown());

describe('createHttpServerInstrumentation', () => {
  it('records a SERVER span with the stock stable-semconv request attributes', async () => {
    enable();
    const app = await listen((_req, res) => res.end('ok'));
    await get(app.port, '/users/7?page=2&sig=secret', {
      headers: { 'user-agent': 'test-agent/1.0', host: `example.test:${app.port}` },
    });
    const [span] = await tracing.spans(1);
    await app.close();
    expect(span.name).toBe('GET');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.instrumentationScope.name).toBe('@opentelemetry/instrumentation-http');
    expect(span.attributes).toEqual({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/users/7',
      'url.query': 'page=2&sig=REDACTED',
      'server.address': 'example.test',
      'server.port': app.port,
      'network.peer.address': '127.0.0.1',
      'network.peer.port': expect.any(Number),
      'client.address': '127.0.0.1',
      'network.protocol.version': '1.1',
      'user_agent.original': 'test-agent/1.0',
      'http.response.status_code': 200,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('reads client.address and server.address behind a proxy', async () => {
    enable();
    const app = await listen((_req, res) => res.end());
    await get(app.port, '/', {
      headers: {
        'x-forwarded-for': '203.0.113.7, 10.0.0.2',
        'x-forwarded-host': 'shop.test',
        'x-forwarded-proto': 'https',
      },
    });
    const [span] = await tracing.spans(1);
    await app.close();
    expect(span.attributes['client.address']).toBe('203.0.113.7');
    expect(span.attributes['server.address']).toBe('shop.test');
    expect(span.attributes['server.port']).toBe(443);
    expect(span.attributes['network.peer.address']).toBe('127.0.0.1');
  });

  it('normalises unknown methods to _OTHER and keeps the original', async () => {
    enable();
    const app = await listen((_req, res) => res.end());
    await get(app.port, '/dav', { method: 'PROPFIND' });
    const [span] = await tracing.spans(1);
    await app.close();
    expect(span.name).toBe('HTTP');
    expect(span.attributes['http.request.method']).toBe('_OTHER');
    expect(span.attributes['http.request.method_original']).toBe('PROPFIND');
  });

  it('continues the caller trace from traceparent', async () => {
    enable();
    const app = await listen((_req, res) => res.end());
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await get(app.port, '/', { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    const [span] = await tracing.spans(1);
    await app.close();
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(span.parentSpanContext?.isRemote).toBe(true);
  });

  it('makes the server span the parent of work after setTimeout and await in the handler', async () => {
    enable();
    const tracer = provider.getTracer('app');
    const app = await listen(async (_req, res) => {
      tracer.startSpan('sync').end();
      await sleep(5);
      tracer.startSpan('after-timeout').end();
      await Promise.resolve();
      await tracer.startActiveSpan('active', async (span) => {
        await sleep(1);
        tracer.startSpan('nested').end();
        span.end();
      });
      res.end();
    });
    await get(app.port, '/work');
    const spans = await tracing.spans(5);
    await app.close();
    const server = byName(spans, 'GET');
    const serverId = server.spanContext().spanId;
    for (const name of ['sync', 'after-timeout', 'active']) {
      expect(byName(spans, name).parentSpanContext?.spanId, name).toBe(serverId);
    }
    expect(byName(spans, 'nested').parentSpanContext?.spanId).toBe(
      byName(spans, 'active').spanContext().spanId,
    );
  });

  it('keeps the server span active for a request body that arrives in a later packet', async () => {
    enable();
    const tracer = provider.getTracer('app');
    const app = await listen((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        // What a body parser then the route handler see.
        tracer.startSpan('on-end').end();
        setTimeout(() => {
          tracer.startSpan('after-body').end();
          res.end(body);
        }, 1);
      });
    });
    // Headers first, the body 100 ms later: separate socket reads.
    const socket = connect(app.port, '127.0.0.1');
    // Read the answer as a client does: a socket nobody reads may never emit 'close' (its
    // readable side never ends), which hung this test now and then on a loaded machine.
    socket.resume();
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\n',
    );
    await sleep(100);
    socket.end('hello');
    await new Promise((resolve) => socket.once('close', resolve));
    const spans = await tracing.spans(3);
    await app.close();
    const serverId = byName(spans, 'POST').spanContext().spanId;
    expect(byName(spans, 'on-end').parentSpanContext?.spanId).toBe(serverId);
    expect(byName(spans, 'after-body').parentSpanContext?.spanId).toBe(serverId);
  });

  it("runs the response's close listeners in the request's context when the client goes away", async () => {
    enable();
    const tracer = provider.getTracer('app');
    const app = await listen((_req, res) => {
      // What access loggers and cancellation handlers do; 'close' comes from the socket.
      res.on('close', () => tracer.startSpan('on-close').end());
    });
    const socket = connect(app.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(50);
    socket.destroy();
    const spans = await tracing.spans(2);
    await app.close();
    expect(byName(spans, 'on-close').parentSpanContext?.spanId).toBe(
      byName(spans, 'GET').spanContext().spanId,
    );
  });

  it("leaves listeners in a context derived from the request's, as a framework span's", async () => {
    enable();
    const tracer = provider.getTracer('app');
    let seen: string | undefined;
    const app = await listen((req, res) => {
      req.on('custom', () => {
        seen = (trace.getActiveSpan() as unknown as { name?: string } | undefined)?.name;
      });
      const handlerSpan = tracer.startSpan('handler');
      context.with(trace.setSpan(context.active(), handlerSpan), () => req.emit('custom'));
      handlerSpan.end();
      res.end();
    });
    await get(app.port, '/');
    await tracing.spans(2);
    await app.close();
    expect(seen).toBe('handler');
  });

  it('leaves listeners of requests it never saw in the context they were emitted in', async () => {
    enable();
    const { IncomingMessage } = await import('node:http');
    const { Socket } = await import('node:net');
    const message = new IncomingMessage(new Socket());
    const outer = trace.setSpan(context.active(), provider.getTracer('app').startSpan('outer'));
    let seen: unknown;
    message.on('custom', () => {
      seen = trace.getActiveSpan();
    });
    context.with(outer, () => message.emit('custom'));
    expect(seen).toBe(trace.getSpan(outer));
  });

  it('sets http.route and the name from the RPC metadata a framework fills', async () => {
    enable();
    const app = await listen((_req, res) => {
      setImmediate(() => {
        const rpc = getRPCMetadata(context.active());
        if (rpc) rpc.route = '/users/:id';
        res.end();
      });
    });
    await get(app.port, '/users/42');
    const [span] = await tracing.spans(1);
    await app.close();
    expect(span.name).toBe('GET /users/:id');
    expect(span.attributes['http.route']).toBe('/users/:id');
  });

  it('marks 5xx as ERROR with error.type, and leaves 4xx unset', async () => {
    enable();
    const app = await listen((req, res) => {
      res.statusCode = req.url === '/fail' ? 503 : 404;
      res.end();
    });
    await get(app.port, '/fail');
    await get(app.port, '/missing');
    const spans = await tracing.spans(2);
    await app.close();
    const [fail, missing] = spans;
    expect(fail.status.code).toBe(SpanStatusCode.ERROR);
    expect(fail.attributes['error.type']).toBe('503');
    expect(missing.status.code).toBe(SpanStatusCode.UNSET);
    expect(missing.attributes['error.type']).toBeUndefined();
    expect(missing.attributes['http.response.status_code']).toBe(404);
  });

  it('ends the span as an error when the client goes away before the response', async () => {
    enable();
    let arrived!: () => void;
    const gotRequest = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const app = await listen(() => arrived());
    const socket = connect(app.port, '127.0.0.1');
    socket.write('GET /hang HTTP/1.1\r\nHost: x\r\n\r\n');
    await gotRequest;
    socket.destroy();
    const [span] = await tracing.spans(1);
    await app.close();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('aborted');
    expect(span.attributes['http.response.status_code']).toBeUndefined();
  });

  it('calls onServerSpan with the span and response before the handler runs', async () => {
    const seen: string[] = [];
    enable({
      onServerSpan(span, response) {
        seen.push(`hook ${span.spanContext().spanId} ${response.headersSent}`);
      },
    });
    const app = await listen((_req, res) => {
      seen.push(`handler ${trace.getActiveSpan()?.spanContext().spanId} ${res.headersSent}`);
      res.end();
    });
    await get(app.port, '/');
    const [span] = await tracing.spans(1);
    await app.close();
    const id = span.spanContext().spanId;
    expect(seen).toEqual([`hook ${id} false`, `handler ${id} false`]);
  });

  describe('ignoreIncomingRequest', () => {
    it('records nothing for ignored requests, and work inside them is not traced', async () => {
      enable({ ignoreIncomingRequest: (req) => req.url === '/health' });
      const tracer = provider.getTracer('app');
      const suppressed: Record<string, boolean> = {};
      const app = await listen((req, res) => {
        suppressed[req.url ?? ''] = isTracingSuppressed(context.active());
        tracer.startSpan('inside').end();
        res.end();
      });
      await get(app.port, '/health');
      await get(app.port, '/other');
      const spans = await tracing.spans(2);
      await sleep(20);
      await app.close();
      expect(suppressed).toEqual({ '/health': true, '/other': false });
      expect(spans.map((s) => s.name).sort()).toEqual(['GET', 'inside']);
      expect(spans.find((s) => s.name === 'GET')?.attributes['url.path']).toBe('/other');
    });
  });

  describe('keep-alive', () => {
    it('keeps two pipelined requests on one socket in their own contexts', async () => {
      enable({ ignoreIncomingRequest: (req) => req.url === '/ignored' });
      const tracer = provider.getTracer('app');
      const app = await listen(async (req, res) => {
        // The slow one finishes its async work after the second request started.
        await sleep(req.url === '/slow' ? 30 : 1);
        tracer.startSpan(`child ${req.url}`).end();
        res.end(req.url);
      });
      const socket = connect(app.port, '127.0.0.1');
      let received = '';
      const done = new Promise<void>((resolve) =>
        socket.on('data', (chunk) => {
          received += chunk;
          if (received.includes('/ignored') && received.includes('/fast')) resolve();
        }),
      );
      const pipelined = ['/slow', '/fast', '/ignored']
        .map((path) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`)
        .join('');
      socket.write(pipelined);
      await done;
      const spans = await tracing.spans(4);
      socket.destroy();
      await app.close();
      const server = (path: string) =>
        spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === path);
      expect(spans).toHaveLength(4);
      expect(server('/ignored')).toBeUndefined();
      for (const path of ['/slow', '/fast']) {
        const child = byName(spans, `child ${path}`);
        expect(child.parentSpanContext?.spanId, path).toBe(server(path)?.spanContext().spanId);
      }
      expect(server('/fast')?.parentSpanContext).toBeUndefined();
      expect(server('/slow')?.spanContext().traceId).not.toBe(
        server('/fast')?.spanContext().traceId,
      );
    });
  });

  describe('metrics', () => {
    /** A reader the test collects from on demand. */
    class PullReader extends MetricReader {
      protected onForceFlush() {
        return Promise.resolve();
      }
      protected onShutdown() {
        return Promise.resolve();
      }
    }

    /** `http.server.request.duration` as the reader collects it now. */
    async function durationMetric(reader: PullReader): Promise<HistogramMetricData> {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics
        .flatMap((s) => s.metrics)
        .find((m) => m.descriptor.name === 'http.server.request.duration') as HistogramMetricData;
    }

    it('records http.server.request.duration with the stock attributes', async () => {
      const reader = new PullReader();
      const meterProvider = new MeterProvider({ readers: [reader] });
      enable({}, meterProvider);
      const app = await listen((_req, res) => {
        const rpc = getRPCMetadata(context.active());
        if (rpc) rpc.route = '/boom';
        res.statusCode = 500;
        res.end();
      });
      await get(app.port, '/boom');
      await tracing.spans(1);
      await app.close();
      const metric = await durationMetric(reader);
      expect(metric.descriptor.unit).toBe('s');
      expect(metric.dataPoints).toHaveLength(1);
      const [point] = metric.dataPoints;
      expect(point.attributes).toEqual({
        'http.request.method': 'GET',
        'url.scheme': 'http',
        'network.protocol.version': '1.1',
        'http.response.status_code': 500,
        'http.route': '/boom',
        'error.type': '500',
      });
      expect(point.value.count).toBe(1);
      expect(point.value.buckets.boundaries).toEqual([
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
      ]);
    });

    it('keeps one series per route, method and status', async () => {
      const reader = new PullReader();
      enable({}, new MeterProvider({ readers: [reader] }));
      const app = await listen((req, res) => {
        const [route, status] = (req.url ?? '').slice(1).split('/');
        const rpc = getRPCMetadata(context.active());
        if (rpc) rpc.route = `/${route}`;
        res.statusCode = Number(status);
        res.end();
      });
      for (const path of ['/a/200', '/a/404', '/a/200', '/b/200', '/a/200'])
        await get(app.port, path);
      await get(app.port, '/a/200', { method: 'POST' });
      await tracing.spans(6);
      await app.close();
      const metric = await durationMetric(reader);
      const series = metric.dataPoints
        .map((p) => [
          p.attributes['http.request.method'],
          p.attributes['http.route'],
          p.attributes['http.response.status_code'],
          p.value.count,
        ])
        .sort((x, y) => String(x).localeCompare(String(y)));
      expect(series).toEqual([
        ['GET', '/a', 200, 3],
        ['GET', '/a', 404, 1],
        ['GET', '/b', 200, 1],
        ['POST', '/a', 200, 1],
      ]);
    });
  });

  describe('enable and disable', () => {
    it('patches emit of the request and response prototypes while enabled, and restores them', async () => {
      const { IncomingMessage, ServerResponse } = await import('node:http');
      const own = (proto: object) => Object.hasOwn(proto, 'emit');
      expect([own(IncomingMessage.prototype), own(ServerResponse.prototype)]).toEqual([
        false,
        false,
      ]);
      const instr = enable();
      expect([own(IncomingMessage.prototype), own(ServerResponse.prototype)]).toEqual([true, true]);
      instr.disable();
      expect([own(IncomingMessage.prototype), own(ServerResponse.prototype)]).toEqual([
        false,
        false,
      ]);
    });

    it('is registered by registerInstrumentations like any Instrumentation', async () => {
      instrumentation = createHttpServerInstrumentation();
      expect(instrumentation.getConfig().enabled).toBe(false);
      registerInstrumentations({ instrumentations: [instrumentation], tracerProvider: provider });
      expect(instrumentation.getConfig().enabled).toBe(true);
      const app = await listen((_req, res) => res.end());
      await get(app.port, '/');
      const spans = await tracing.spans(1);
      await app.close();
      expect(spans).toHaveLength(1);
    });

    it('stops recording after disable and still ends a request already in flight normally', async () => {
      const instr = enable();
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const app = await listen(async (req, res) => {
        if (req.url === '/held') await held;
        res.end();
      });
      const inFlight = get(app.port, '/held');
      await sleep(20);
      instr.disable();
      release();
      await inFlight;
      await get(app.port, '/after');
      const spans = await tracing.spans(1);
      await sleep(20);
      await app.close();
      expect(spans).toHaveLength(1);
      expect(spans[0].attributes['url.path']).toBe('/held');
      expect(spans[0].status.code).toBe(SpanStatusCode.UNSET);
      expect(spans[0].attributes['http.response.status_code']).toBe(200);
    });
  });
});
