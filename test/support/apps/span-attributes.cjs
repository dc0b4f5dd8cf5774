'use strict';
// Starts spans with the attribute shapes applications and instrumentations pass (plain
// scalars, undefined and empty keys, arrays and maps, inherited and getter properties,
// integer-like keys, invalid values, 128 of them), then prints one JSON line: what each span
// holds and what setAttribute did next. Under Strata the spans come from the bundled SDK with
// its hot-path fixes; with STRATA_E2E_STOCK=1 from the published SDK, registered here, so a
// test can compare the two (the spans of the owned cases may hold the very object passed).
const api = require('@opentelemetry/api');

const { STRATA_E2E_STOCK } = process.env;
if (STRATA_E2E_STOCK === '1') {
  const { TracerProvider, AlwaysOnSampler } = require('@opentelemetry/sdk-trace');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(new TracerProvider({ sampler: new AlwaysOnSampler() }));
}

const tracer = api.trace.getTracer('strata-e2e-attributes');

const inherited = Object.create({ inherited: 'not copied' });
inherited.own = 'copied';
const getter = { before: 1 };
Object.defineProperty(getter, 'computed', { get: () => 'from getter', enumerable: true });
Object.defineProperty(getter, 'hidden', { value: 'not enumerable', enumerable: false });
const many = {};
for (let i = 0; i < 128; i++) many[`key.${i}`] = i;
const nearlyMany = {};
for (let i = 0; i < 127; i++) nearlyMany[`key.${i}`] = `v${i}`;
// Inherited keys do not count toward the limit either.
const inheritedNearlyMany = Object.create({ inherited: 'not counted' });
Object.assign(inheritedNearlyMany, nearlyMany);
const array = ['a', 'b'];
const mutable = { 'http.request.method': 'GET', 'url.path': '/orders/7', 'server.port': 8080 };

const cases = {
  scalars: {
    'http.request.method': 'GET',
    'server.port': 8080,
    ok: true,
    ratio: 0.25,
    nan: Number.NaN,
  },
  undefinedValue: { kept: 'yes', gone: undefined },
  emptyKey: { '': 'dropped', kept: 1 },
  nullValue: { nothing: null, kept: 'x' },
  arrayAndMap: { list: array, map: { inner: 'v', skip: undefined }, bytes: new Uint8Array([1, 2]) },
  invalid: { fn: () => 1, big: 10n, sym: Symbol('s'), kept: 'x' },
  inherited,
  getter,
  integerKeys: { b: 'second', 2: 'two', 1: 'one', a: 'first' },
  many,
  nearlyMany,
  inheritedNearlyMany,
  mutable,
  none: undefined,
  empty: {},
};

// Strata's own instrumentations hand a fresh attributes object over to the span
// (packages/node/src/trace/owned-attributes.ts); the published SDK ignores the option.
const OWNED = Symbol.for('strata.ownedAttributes');
const ownedCases = {
  ownedScalars: { 'http.request.method': 'GET', 'server.port': 8080, ok: true },
  ownedUndefined: { kept: 'yes', gone: undefined },
  ownedArray: { list: ['a'], kept: 'x' },
  ownedEmptyKey: { '': 'dropped', kept: 1 },
};

const out = {};
for (const [name, attributes] of [...Object.entries(cases), ...Object.entries(ownedCases)]) {
  const owned = Object.hasOwn(ownedCases, name);
  const span = tracer.startSpan(
    `span ${name}`,
    owned ? { attributes, [OWNED]: true } : { attributes },
  );
  const copy = span.attributes;
  const keys = Object.keys(copy);
  // What the span holds must not follow later changes to what the caller passed.
  if (attributes === cases.arrayAndMap) array.push('later');
  if (attributes === mutable) mutable['url.path'] = '/changed';
  const held = JSON.stringify(copy, (_k, v) => (v instanceof Uint8Array ? [...v] : v));
  span.setAttribute('added.after', 'yes');
  span.setAttribute('http.request.method', 'POST');
  // Read before end(): Strata puts its layer times on a local root when it ends.
  out[name] = {
    keys,
    attributes: JSON.parse(held),
    sameObject: copy === attributes,
    afterSet: span.attributes['added.after'] ?? null,
    methodAfterSet: span.attributes['http.request.method'] ?? null,
    dropped: span.droppedAttributesCount,
  };
  span.end();
}
console.log(JSON.stringify(out));
