// Cost per span of the local-trace assembly + decision, and memory per buffered span.
// Run on the built package: npx tsc -b packages/sampling && npx node --expose-gc packages/sampling/bench/processor.bench.js
'use strict';
const { ROOT_CONTEXT, trace } = require('@opentelemetry/api');
const { NoopSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace');
const {
  createLocalTraceProcessor,
  createOutlierDecider,
  createStrataSampler,
  estimateSpanBytes,
} = require('../dist/index.js');

const CHILDREN = 4; // a request: root + middleware, handler, db, cache
const TRACES = 20_000;
const ROUNDS = 7;

const decider = () =>
  createOutlierDecider({
    errors: true,
    slow: { percentile: 99, window: 60_000, floor: 50, ceiling: 2000 },
    rules: [{ name: 'checkout', when: { route: '/checkout*' }, keep: true }],
    budget: 50,
  });

function provider(processor) {
  return new TracerProvider({
    sampler: createStrataSampler({ baseline: 0.1 }),
    spanProcessors: [processor],
  });
}

function request(tracer, i, keep) {
  const root = tracer.startSpan('GET /items/:id', {
    attributes: {
      'http.request.method': 'GET',
      'http.route': '/items/:id',
      'url.path': `/items/${i}`,
    },
  });
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  for (let c = 0; c < CHILDREN; c++) {
    const child = tracer.startSpan(
      'child',
      { attributes: { 'db.system.name': 'postgresql' } },
      ctx,
    );
    child.end();
    if (keep) keep.push(child);
  }
  root.setAttribute('http.response.status_code', 200);
  root.end();
  if (keep) keep.push(root);
}

async function timeRun(tracer, flush) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < TRACES; i++) {
    request(tracer, i);
    if (i % 1000 === 999) await flush();
  }
  await flush();
  return Number(process.hrtime.bigint() - start) / 1e3 / (TRACES * (CHILDREN + 1)); // µs per span
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function cost() {
  const noop = new NoopSpanProcessor();
  const noopTracer = provider(noop).getTracer('bench');
  let exported = 0;
  const strata = createLocalTraceProcessor({
    exporter: {
      export: (spans) => {
        exported += spans.length;
      },
    },
    decider: decider(),
    buffer: { grace: 60_000 },
  });
  const strataTracer = provider(strata).getTracer('bench');
  const base = [];
  const withStrata = [];
  // Interleave the variants; the first round warms up the JIT and is discarded.
  for (let r = 0; r < ROUNDS + 1; r++) {
    const b = await timeRun(noopTracer, () => noop.forceFlush());
    const s = await timeRun(strataTracer, () => strata.forceFlush());
    if (r > 0) {
      base.push(b);
      withStrata.push(s);
    }
  }
  return { base: median(base), strata: median(withStrata), exported };
}

function heap() {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

function memory() {
  const N = 10_000;
  // Reference: the same spans held in a plain array by a no-op provider.
  const held = [];
  const noopTracer = provider(new NoopSpanProcessor()).getTracer('bench');
  for (let i = 0; i < 100; i++) request(noopTracer, i, []);
  let before = heap();
  for (let i = 0; i < N; i++) request(noopTracer, i, held);
  const plain = (heap() - before) / held.length;
  const estimate = held.reduce((sum, span) => sum + estimateSpanBytes(span), 0) / held.length;
  held.length = 0;

  const strata = createLocalTraceProcessor({
    exporter: { export() {} },
    decider: decider(),
    buffer: { grace: 600_000, max_spans: 1e9, max_bytes: 1e12 },
  });
  const tracer = provider(strata).getTracer('bench');
  before = heap();
  for (let i = 0; i < N; i++) request(tracer, i);
  const buffered = strata.stats().bufferedSpans;
  const retained = (heap() - before) / buffered;
  return { plain, retained, estimate, buffered, bytes: strata.stats().bufferedBytes / buffered };
}

async function main() {
  if (typeof global.gc !== 'function') throw new Error('run with --expose-gc');
  const c = await cost();
  const m = memory();
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: require('node:os').cpus().length,
    spansPerTrace: CHILDREN + 1,
    usPerSpanNoopProcessor: +c.base.toFixed(3),
    usPerSpanStrata: +c.strata.toFixed(3),
    usPerSpanAdded: +(c.strata - c.base).toFixed(3),
    bytesPerBufferedSpan: Math.round(m.retained),
    bytesPerSpanHeldInArray: Math.round(m.plain),
    bytesOverheadPerBufferedSpan: Math.round(m.retained - m.plain),
    estimatedBytesPerSpan: Math.round(m.bytes),
  };
  console.log(JSON.stringify(result, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
