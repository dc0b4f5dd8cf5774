import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import {
  createLocalTraceProcessor,
  createOutlierDecider,
  createStrataSampler,
} from '@strata/sampling';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeepSignals, serverTimingFrom } from '../../src/pipeline/keep-signals';

const processor = createLocalTraceProcessor({
  exporter: { export() {} },
  decider: createOutlierDecider({ errors: true }),
});
// Baseline 0: recorded, not sampled — the case where telling the caller matters.
const provider = new TracerProvider({
  sampler: createStrataSampler({ baseline: 0 }),
  spanProcessors: [processor],
});
const tracer = provider.getTracer('test');
const signals = createKeepSignals(processor, true);
afterAll(() => provider.shutdown());

const CALLER = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.NONE,
  isRemote: true,
};

/** Serve one request: a server span under a remote caller, then `respond`. */
async function serve(respond: (res: import('node:http').ServerResponse) => void) {
  const server = createServer((_req, res) => {
    const span = tracer.startSpan(
      'GET /pay',
      { kind: 1 },
      trace.setSpanContext(ROOT_CONTEXT, CALLER),
    );
    signals.onServerResponse(span, res);
    respond(res);
    span.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const header = await new Promise<string | undefined>((resolve, reject) =>
    get({ host: '127.0.0.1', port, path: '/pay' }, (res) => {
      res.resume();
      resolve([res.headers['server-timing'] ?? []].flat().join(', ') || undefined);
    }).on('error', reject),
  );
  server.close();
  return header;
}

describe('createKeepSignals', () => {
  describe('tell_caller', () => {
    it('tells the caller of a kept error in Server-Timing, next to the app’s own entries', async () => {
      const header = await serve((res) => {
        res.setHeader('Server-Timing', 'db;dur=12');
        res.statusCode = 500;
        res.end();
      });
      expect(header).toMatch(
        /^db;dur=12, traceparent;desc="00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01"$/,
      );
    });

    it('adds to a Server-Timing passed to writeHead, which would otherwise replace it', async () => {
      const header = await serve((res) => {
        res.writeHead(503, { 'Server-Timing': 'app;dur=3' });
        res.end();
      });
      expect(header).toMatch(/^app;dur=3, traceparent;desc="00-0af7651916cd43dd8448eb211c80319c-/);
    });

    it('says nothing for an ordinary response', async () => {
      const header = await serve((res) => {
        res.writeHead(200, { 'Server-Timing': 'app;dur=3' });
        res.end();
      });
      expect(header).toBe('app;dur=3');
    });
  });
});

describe('serverTimingFrom', () => {
  const raw = (...pairs: string[]) => pairs.map((text) => Buffer.from(text));

  it("reads every Server-Timing value from undici's raw header list, in any case", () => {
    const headers = raw(
      'content-type',
      'application/json',
      'Server-Timing',
      'db;dur=53',
      'x-server-timing',
      'not this one',
      'SERVER-TIMING',
      'traceparent;desc="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"',
    );
    expect(serverTimingFrom(headers)).toEqual([
      'db;dur=53',
      'traceparent;desc="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"',
    ]);
  });

  it('reads a headers object, and finds nothing where there is none', () => {
    expect(serverTimingFrom({ 'server-timing': 'cache;desc=hit' })).toBe('cache;desc=hit');
    expect(serverTimingFrom(raw('content-length', '2'))).toBeUndefined();
    expect(serverTimingFrom(undefined)).toBeUndefined();
  });
});
