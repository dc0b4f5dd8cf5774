// Cost of classification + wall-share attribution per local trace, on realistic span trees.
// Run: npm run bench -w @strata/layers   (builds dist first; Node 24)
'use strict';
const { attributeLayers, createLayerClassifier } = require('../dist/index.js');

const OTEL = '@opentelemetry/instrumentation-';
const SIZES = [10, 100, 1000];
const TRACES = 64; // distinct traces per size, cycled, so caches see realistic variety
const RUNS = 7; // median of these
const RUN_MS = 400;

// Deterministic PRNG (mulberry32): the same trees every run.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What instrumentations emit (attribute sets as in the classifier tests).
const KINDS = [
  {
    w: 3,
    kind: 0,
    scope: `${OTEL}express`,
    name: 'middleware - query',
    attributes: { 'express.type': 'middleware', 'express.name': 'query' },
    container: true,
  },
  {
    w: 4,
    kind: 2,
    scope: `${OTEL}pg`,
    name: 'pg.query:SELECT shop',
    attributes: {
      'db.system': 'postgresql',
      'db.name': 'shop',
      'db.statement': 'SELECT * FROM items WHERE id = $1',
      'net.peer.name': '127.0.0.1',
      'net.peer.port': 5432,
    },
  },
  {
    w: 3,
    kind: 2,
    scope: `${OTEL}ioredis`,
    name: 'get',
    attributes: {
      'db.system': 'redis',
      'db.statement': 'get cart:7',
      'net.peer.name': '127.0.0.1',
      'net.peer.port': 6379,
    },
  },
  {
    w: 2,
    kind: 2,
    scope: `${OTEL}undici`,
    name: 'GET',
    attributes: {
      'http.request.method': 'GET',
      'url.full': 'http://stock:8080/items/7',
      'server.address': 'stock',
      'server.port': 8080,
      'http.response.status_code': 200,
    },
    container: true,
  },
  { w: 1, kind: 2, scope: `${OTEL}dns`, name: 'dns.lookup', attributes: {} },
  {
    w: 2,
    kind: 0,
    scope: 'shop',
    name: 'price cart',
    attributes: { 'cart.items': 3 },
    container: true,
  },
  { w: 1, kind: 0, scope: `${OTEL}fs`, name: 'fs readFile', attributes: {} },
];
const WEIGHT = KINDS.reduce((s, k) => s + k.w, 0);
function pickKind(rand) {
  let x = rand() * WEIGHT;
  for (const k of KINDS) {
    x -= k.w;
    if (x < 0) return k;
  }
  return KINDS[0];
}

/** A local trace of n spans: an HTTP server root, nested middleware and app spans, sequential and parallel (Promise.all) calls. */
function makeTrace(n, seed) {
  const rand = prng(seed);
  const duration = 2e6 + Math.floor(rand() * 48e6); // 2..50 ms
  const root = {
    spanId: 's0',
    parentSpanId: undefined,
    name: 'GET /cart/:id',
    kind: 1,
    scope: `${OTEL}http`,
    start: 0,
    end: duration,
    attributes: { 'http.request.method': 'GET', 'http.route': '/cart/:id' },
  };
  const spans = [root];
  const containers = [root];
  while (spans.length < n) {
    // Prefer recent containers: traces grow deep along the request's path.
    const parent =
      containers[
        Math.max(0, containers.length - 1 - Math.floor(rand() * rand() * containers.length))
      ];
    const room = parent.end - parent.start;
    const start = parent.start + Math.floor(rand() * room * 0.9);
    const batch = rand() < 0.3 ? 2 + Math.floor(rand() * 4) : 1; // Promise.all of 2..5 calls
    for (let b = 0; b < batch && spans.length < n; b++) {
      const k = pickKind(rand);
      const end =
        start + 1 + Math.floor(rand() * (parent.end - start) * (rand() < 0.05 ? 1.5 : 0.8));
      const span = {
        spanId: `s${spans.length}`,
        parentSpanId: parent.spanId,
        name: k.name,
        kind: k.kind,
        scope: k.scope,
        start,
        end,
        attributes: k.attributes,
      };
      spans.push(span);
      if (k.container) containers.push(span);
    }
  }
  return spans;
}

// CPU time of this process, not wall time: the machine may be shared with other load.
function measure(fn) {
  const results = [];
  for (let r = 0; r < RUNS; r++) {
    let calls = 0;
    const c0 = process.cpuUsage();
    const deadline = process.hrtime.bigint() + BigInt(RUN_MS * 1e6);
    while (process.hrtime.bigint() < deadline) {
      for (let i = 0; i < 16; i++) fn(calls++);
    }
    const c = process.cpuUsage(c0);
    results.push(((c.user + c.system) * 1e3) / calls);
  }
  results.sort((a, b) => a - b);
  return results[RUNS >> 1]; // ns per call
}

const classifier = createLayerClassifier([
  { when: { scope: 'shop' }, layer: 'app', system: 'shop' },
]);
const rows = [];
for (const n of SIZES) {
  const traces = Array.from({ length: TRACES }, (_, i) => makeTrace(n, n * 1000 + i));
  const both = measure((i) => attributeLayers(traces[i % TRACES], 0, classifier.classify));
  const classifyOnly = measure((i) => {
    const t = traces[i % TRACES];
    for (let j = 0; j < t.length; j++) classifier.classify(t[j]);
  });
  rows.push({
    spans: n,
    usPerTrace: both / 1e3,
    nsPerSpan: both / n,
    classifyNsPerSpan: classifyOnly / n,
  });
}

console.log(
  `Node ${process.version}, ${require('node:os').cpus().length} CPUs (${require('node:os').cpus()[0].model})`,
);
console.log(
  '| spans per trace | µs per trace | ns per span | of which classification, ns per span |',
);
console.log('|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.spans} | ${r.usPerTrace.toFixed(1)} | ${r.nsPerSpan.toFixed(0)} | ${r.classifyNsPerSpan.toFixed(0)} |`,
  );
}
