'use strict';
// Binds functions of several arities to a context with the OpenTelemetry API, as pg's
// instrumentation binds its callbacks, calls each bound function from outside that context
// (as a driver's socket callback is called) and prints one JSON line: per function, its
// declared length, the bound function's length descriptor, and the `this`, arguments and
// context value the function saw.
const api = require('@opentelemetry/api');

const key = api.createContextKey('strata.e2e.bound');
const bound = api.context.active().setValue(key, 'inside');
const seen = [];
function record(self, args) {
  seen.push({
    self: self?.tag,
    args: [...args],
    value: api.context.active().getValue(key) ?? 'none',
  });
}
const targets = [
  function zero() {
    // biome-ignore lint/complexity/noArguments: every argument, past the declared ones too
    record(this, arguments);
  },
  function one(_a) {
    // biome-ignore lint/complexity/noArguments: every argument, past the declared ones too
    record(this, arguments);
  },
  function three(_a, _b, _c) {
    // biome-ignore lint/complexity/noArguments: every argument, past the declared ones too
    record(this, arguments);
  },
  function six(_a, _b, _c, _d, _e, _f) {
    // biome-ignore lint/complexity/noArguments: every argument, past the declared ones too
    record(this, arguments);
  },
];
const results = targets.map((target, i) => {
  const fn = api.context.bind(bound, target);
  fn.call({ tag: `receiver ${i}` }, 1, 'two', 3);
  return {
    length: target.length,
    descriptor: Object.getOwnPropertyDescriptor(fn, 'length'),
    seen: seen[i],
  };
});
console.log(JSON.stringify({ results, after: api.context.active().getValue(key) ?? 'none' }));
