// Bundles what `--require/--import @strata/node/register` loads into one file,
// dist/bundle/start.js. Start-up is dominated by resolving, reading and compiling
// hundreds of small CommonJS files (the SDK, zod, yaml, the instrumentations);
// one file with dead code removed loads in a fraction of that time. The same
// approach the OpenTelemetry Lambda layers take for cold starts.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// zod's namespace pulls in every error-message locale (about 40 files); strata.yaml
// errors are English, so the bundle carries `en` only.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /locales\/index\.cjs$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'zod')}`)
        ? { path: join(dirname(args.importer), args.path), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `exports.en = require(${JSON.stringify(args.path.replace(/index\.cjs$/, 'en.cjs'))}).default;`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

// Hot-path fixes in the bundle's copies of @opentelemetry/core 3.1, sdk-metrics,
// otlp-transformer, context-async-hooks and the pg instrumentation (still upstream
// as of core 3.1.1), each with the same result as the original (the exceptions are noted at the
// attribute count and at pg's pool gauges below):
//  - isAnyValue allocates a WeakSet (for cycle detection) for every attribute value, strings
//    and numbers included: scalars now return before it;
//  - cleanAttributes walks Object.entries (an array of pairs); it also reports its count (which
//    Strata's tracer, src/trace/strata-tracer.ts, gives its spans for their attribute limit);
//  - core's time functions read Node's lazy global `performance`;
//  - every metric point hashes its attributes with a sort and JSON of pairs, pg builds a new
//    attributes object for each query's duration point and records three pool-gauge points,
//    mostly of 0, per acquire and release: see their entries;
//  - the OTLP protobuf encoder serializes a kept trace twice, and context.bind redefines
//    `length` on every wrapper: see their entries.
// The SDK's tracer and span are not used: Strata's own (src/trace) replace them.
// Two rewrites apply to every @opentelemetry file: the API namespace and the semantic-convention
// names (below HOT_PATH_FIXES).
// A replacement that no longer matches fails the build, so an upgrade cannot drop one unseen.
const HOT_PATH_FIXES = {
  'core/dist/common/attributes.cjs': [
    [
      'function isAnyValue(val) {\n\treturn isAnyValueInternal(val, /* @__PURE__ */ new WeakSet());',
      'function isAnyValue(val) {\n\tconst type = typeof val;\n\tif (type === "string" || type === "number" || type === "boolean") return true;\n\treturn isAnyValueInternal(val, /* @__PURE__ */ new WeakSet());',
    ],
    [
      '\tfor (const [key, val] of Object.entries(inAttributes)) {\n',
      '\tfor (const key in inAttributes) {\n\t\tif (!Object.hasOwn(inAttributes, key)) continue;\n\t\tconst val = inAttributes[key];\n',
    ],
    [
      '\treturn {\n\t\tattributes,\n\t\tdroppedAttributesCount\n\t};',
      '\treturn {\n\t\tattributes,\n\t\tdroppedAttributesCount,\n\t\tcount\n\t};',
    ],
  ],
  // The same lazy global `performance` in core's time functions.
  'core/dist/common/time.cjs': [
    [
      '//#region src/common/time.ts\n',
      '//#region src/common/time.ts\nconst { performance } = require("node:perf_hooks");\n',
    ],
  ],
  // Every metric point hashes its attributes (sorted keys, JSON) to find its series: in the
  // shop benchmark's callgrind profile about 40k instructions per request with JSON and string
  // hashing, for pg's metrics (and then undici's). The hash is an internal map key, so any injective
  // encoding does: keys are sorted in place by insertion up to 32 of them (Array#sort
  // allocates work space on every call), pairs are written flat, and a
  // frozen attributes object (which cannot change) keeps its hash.
  'sdk-metrics/dist/utils.cjs': [
    [
      'function hashAttributes(attributes) {\n\tlet keys = Object.keys(attributes);\n\tif (keys.length === 0) return "";\n\tkeys = keys.sort();\n\treturn JSON.stringify(keys.map((key) => [key, attributes[key]]));\n}',
      'const FROZEN_HASHES = /* @__PURE__ */ new WeakMap();\nfunction hashAttributes(attributes) {\n\tif (!Object.isFrozen(attributes)) return computeAttributesHash(attributes);\n\tlet hash = FROZEN_HASHES.get(attributes);\n\tif (hash === void 0) {\n\t\thash = computeAttributesHash(attributes);\n\t\tFROZEN_HASHES.set(attributes, hash);\n\t}\n\treturn hash;\n}\nfunction computeAttributesHash(attributes) {\n\tconst keys = Object.keys(attributes);\n\tconst n = keys.length;\n\tif (n === 0) return "";\n\tif (n > 32) keys.sort();\n\telse for (let i = 1; i < n; i++) {\n\t\tconst key = keys[i];\n\t\tlet j = i;\n\t\twhile (j > 0 && keys[j - 1] > key) {\n\t\t\tkeys[j] = keys[j - 1];\n\t\t\tj--;\n\t\t}\n\t\tkeys[j] = key;\n\t}\n\tconst flat = new Array(2 * n);\n\tfor (let i = 0; i < n; i++) {\n\t\tflat[2 * i] = keys[i];\n\t\tflat[2 * i + 1] = attributes[keys[i]];\n\t}\n\treturn JSON.stringify(flat);\n}',
    ],
  ],
  // Every query's db.client.operation.duration point got a new attributes object, hashed by the
  // metrics SDK. A query's labels repeat (namespace, server, operation, system, error type):
  // one frozen object per label set (bounded), so the SDK keeps its hash (see above). The
  // last set is compared value by value first: the next query nearly always repeats it, and
  // six comparisons cost less than building the set's key.
  'instrumentation-pg/dist/instrumentation.cjs': [
    [
      '\t\tconst metricsAttributes = {};\n\t\tconst keysToCopy = [\n\t\t\t_opentelemetry_semantic_conventions.ATTR_DB_NAMESPACE,\n\t\t\t_opentelemetry_semantic_conventions.ATTR_ERROR_TYPE,\n\t\t\t_opentelemetry_semantic_conventions.ATTR_SERVER_PORT,\n\t\t\t_opentelemetry_semantic_conventions.ATTR_SERVER_ADDRESS,\n\t\t\t_opentelemetry_semantic_conventions.ATTR_DB_OPERATION_NAME\n\t\t];\n\t\tkeysToCopy.push(_opentelemetry_semantic_conventions.ATTR_DB_SYSTEM_NAME);\n\t\tkeysToCopy.forEach((key) => {\n\t\t\tif (key in attributes) metricsAttributes[key] = attributes[key];\n\t\t});\n',
      '\t\tconst metricsAttributes = operationMetricAttributes(attributes);\n',
    ],
    [
      '//#region src/instrumentation.ts\n',
      '//#region src/instrumentation.ts\nconst OPERATION_KEYS = [\n\t_opentelemetry_semantic_conventions.ATTR_DB_NAMESPACE,\n\t_opentelemetry_semantic_conventions.ATTR_ERROR_TYPE,\n\t_opentelemetry_semantic_conventions.ATTR_SERVER_PORT,\n\t_opentelemetry_semantic_conventions.ATTR_SERVER_ADDRESS,\n\t_opentelemetry_semantic_conventions.ATTR_DB_OPERATION_NAME,\n\t_opentelemetry_semantic_conventions.ATTR_DB_SYSTEM_NAME\n];\nconst OPERATION_ATTRIBUTES = /* @__PURE__ */ new Map();\nlet lastOperation;\nfunction sameOperation(attributes, last) {\n\tfor (let i = 0; i < OPERATION_KEYS.length; i++) {\n\t\tconst name = OPERATION_KEYS[i];\n\t\tconst present = name in attributes;\n\t\tif (present !== last.present[i] || present && attributes[name] !== last.values[i]) return false;\n\t}\n\treturn true;\n}\nfunction operationMetricAttributes(attributes) {\n\tconst last = lastOperation;\n\tif (last !== void 0 && sameOperation(attributes, last)) return last.attributes;\n\tconst found = operationAttributesFor(attributes);\n\tconst present = [];\n\tconst values = [];\n\tfor (let i = 0; i < OPERATION_KEYS.length; i++) {\n\t\tpresent.push(OPERATION_KEYS[i] in attributes);\n\t\tvalues.push(attributes[OPERATION_KEYS[i]]);\n\t}\n\tlastOperation = { present, values, attributes: found };\n\treturn found;\n}\nfunction operationAttributesFor(attributes) {\n\tlet key = "";\n\tfor (let i = 0; i < OPERATION_KEYS.length; i++) {\n\t\tconst name = OPERATION_KEYS[i];\n\t\tif (!(name in attributes)) {\n\t\t\tkey += "-";\n\t\t\tcontinue;\n\t\t}\n\t\tconst value = String(attributes[name]);\n\t\tkey += `${typeof attributes[name]}${value.length}:${value}`;\n\t}\n\tlet found = OPERATION_ATTRIBUTES.get(key);\n\tif (found !== void 0) return found;\n\tconst metricsAttributes = {};\n\tfor (let i = 0; i < OPERATION_KEYS.length; i++) {\n\t\tconst name = OPERATION_KEYS[i];\n\t\tif (name in attributes) metricsAttributes[name] = attributes[name];\n\t}\n\tfound = Object.freeze(metricsAttributes);\n\tif (OPERATION_ATTRIBUTES.size < 2000) OPERATION_ATTRIBUTES.set(key, found);\n\treturn found;\n}\n',
    ],
  ],
  // pg updates its pool gauges on every acquire and release: three points, each with a new
  // attributes object, most of them adding 0. A change is recorded (and every series once, so
  // it exists from the start) with attributes made once per pool and frozen (see above).
  'instrumentation-pg/dist/utils.cjs': [
    [
      'function updateCounter(poolName, pool, connectionCount, connectionPendingRequests, latestCounter) {\n\tconst all = pool.totalCount;\n\tconst pending = pool.waitingCount;\n\tconst idle = pool.idleCount;\n\tconst used = all - idle;\n\tconnectionCount.add(used - latestCounter.used, {\n\t\t[require_semconv.ATTR_DB_CLIENT_CONNECTION_STATE]: require_semconv.DB_CLIENT_CONNECTION_STATE_VALUE_USED,\n\t\t[require_semconv.ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: poolName\n\t});\n\tconnectionCount.add(idle - latestCounter.idle, {\n\t\t[require_semconv.ATTR_DB_CLIENT_CONNECTION_STATE]: require_semconv.DB_CLIENT_CONNECTION_STATE_VALUE_IDLE,\n\t\t[require_semconv.ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: poolName\n\t});\n\tconnectionPendingRequests.add(pending - latestCounter.pending, { [require_semconv.ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: poolName });\n\treturn {\n\t\tused,\n\t\tidle,\n\t\tpending\n\t};\n}',
      'const POOL_ATTRIBUTES = /* @__PURE__ */ new Map();\nfunction poolAttributes(poolName) {\n\tlet attributes = POOL_ATTRIBUTES.get(poolName);\n\tif (attributes === void 0) {\n\t\tattributes = {\n\t\t\tused: Object.freeze({\n\t\t\t\t[require_semconv.ATTR_DB_CLIENT_CONNECTION_STATE]: require_semconv.DB_CLIENT_CONNECTION_STATE_VALUE_USED,\n\t\t\t\t[require_semconv.ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: poolName\n\t\t\t}),\n\t\t\tidle: Object.freeze({\n\t\t\t\t[require_semconv.ATTR_DB_CLIENT_CONNECTION_STATE]: require_semconv.DB_CLIENT_CONNECTION_STATE_VALUE_IDLE,\n\t\t\t\t[require_semconv.ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: poolName\n\t\t\t}),\n\t\t\tpending: Object.freeze({ [require_semconv.ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: poolName })\n\t\t};\n\t\tif (POOL_ATTRIBUTES.size < 256) POOL_ATTRIBUTES.set(poolName, attributes);\n\t}\n\treturn attributes;\n}\nfunction updateCounter(poolName, pool, connectionCount, connectionPendingRequests, latestCounter) {\n\tconst all = pool.totalCount;\n\tconst pending = pool.waitingCount;\n\tconst idle = pool.idleCount;\n\tconst used = all - idle;\n\tconst attributes = poolAttributes(poolName);\n\tconst first = latestCounter.recorded !== true;\n\tif (first || used !== latestCounter.used) connectionCount.add(used - latestCounter.used, attributes.used);\n\tif (first || idle !== latestCounter.idle) connectionCount.add(idle - latestCounter.idle, attributes.idle);\n\tif (first || pending !== latestCounter.pending) connectionPendingRequests.add(pending - latestCounter.pending, attributes.pending);\n\treturn {\n\t\tused,\n\t\tidle,\n\t\tpending,\n\t\trecorded: true\n\t};\n}',
    ],
  ],
  // Kept traces are encoded in the request's turn (export/batch-exporter.ts), so what OTLP's
  // protobuf encoder costs per call is paid per kept trace: the spans were serialized twice
  // (once into a size estimator, to size the buffer), each writer allocated a zeroed
  // ArrayBuffer (about 1 µs, more under load) and a TextEncoder, every string was scanned for
  // non-ASCII before it was copied, and every id was decoded from hex into a new Uint8Array.
  // Now the writer starts at 512 bytes a span (it grows by doubling, as it already could) from
  // Node's Buffer pool (every byte up to `pos` is written before `finish()` returns them),
  // shares one TextEncoder, copies ASCII in one pass (rewinding for the rare other string),
  // and writes ids straight from hex.
  'otlp-transformer/dist/common/protobuf/protobuf-writer.cjs': [
    [
      '\t\tconst newBuffer = new Uint8Array(newSize);\n',
      '\t\tconst newBuffer = Buffer.allocUnsafe(newSize);\n',
    ],
    [
      '\twriteString(str) {\n\t\tlet isAscii = true;\n\t\tconst len = str.length;\n\t\tfor (let i = 0; i < len; i++) if (str.charCodeAt(i) > 127) {\n\t\t\tisAscii = false;\n\t\t\tbreak;\n\t\t}\n\t\tif (isAscii) {\n\t\t\tthis.writeVarint(len);\n\t\t\tthis._ensureCapacity(len);\n\t\t\tfor (let i = 0; i < len; i++) this._buffer[this.pos++] = str.charCodeAt(i);\n\t\t} else {\n\t\t\tconst bytes = this._textEncoder.encode(str);\n\t\t\tthis.writeBytes(bytes);\n\t\t}\n\t}',
      '\twriteString(str) {\n\t\tconst start = this.pos;\n\t\tconst len = str.length;\n\t\tthis.writeVarint(len);\n\t\tthis._ensureCapacity(len);\n\t\tconst buffer = this._buffer;\n\t\tlet pos = this.pos;\n\t\tfor (let i = 0; i < len; i++) {\n\t\t\tconst code = str.charCodeAt(i);\n\t\t\tif (code > 127) {\n\t\t\t\tthis.pos = start;\n\t\t\t\tthis.writeBytes(this._textEncoder.encode(str));\n\t\t\t\treturn;\n\t\t\t}\n\t\t\tbuffer[pos++] = code;\n\t\t}\n\t\tthis.pos = pos;\n\t}',
    ],
    [
      '\t\tthis._buffer = new Uint8Array(estimatedSize);\n\t\tthis._textEncoder = new TextEncoder();\n',
      '\t\tthis._buffer = Buffer.allocUnsafe(estimatedSize);\n\t\tthis._textEncoder = TEXT_ENCODER;\n',
    ],
    [
      '\twriteBytes(bytes) {\n',
      '\twriteHexBytes(hex) {\n\t\tconst n = hex.length >>> 1;\n\t\tthis.writeVarint(n);\n\t\tthis._ensureCapacity(n);\n\t\tconst buffer = this._buffer;\n\t\tlet pos = this.pos;\n\t\tfor (let i = 0; i < 2 * n; i += 2) buffer[pos++] = hexDigit(hex.charCodeAt(i)) << 4 | hexDigit(hex.charCodeAt(i + 1));\n\t\tthis.pos = pos;\n\t}\n\twriteBytes(bytes) {\n',
    ],
    [
      '//#region src/common/protobuf/protobuf-writer.ts\n',
      '//#region src/common/protobuf/protobuf-writer.ts\nconst TEXT_ENCODER = new TextEncoder();\nfunction hexDigit(code) {\n\tif (code >= 48 && code <= 57) return code - 48;\n\tif (code >= 97 && code <= 102) return code - 87;\n\treturn code - 55;\n}\n',
    ],
  ],
  'otlp-transformer/dist/trace/protobuf/trace-serializer.cjs': [
    [
      '\tconst estimator = new require_protobuf_size_estimator.ProtobufSizeEstimator();\n\tfor (const [resource, scopeMap] of resourceMap) {\n\t\testimator.writeTag(1, 2);\n\t\tserializeResourceSpans(estimator, resource, scopeMap);\n\t}\n\tconst writer = new require_protobuf_writer.ProtobufWriter(estimator.pos);\n',
      '\tconst writer = new require_protobuf_writer.ProtobufWriter(512 * spans.length + 256);\n',
    ],
    [
      'writer.writeBytes(require_hex_to_binary.hexToBinary(context.traceId));',
      'writer.writeHexBytes(context.traceId);',
    ],
    [
      'writer.writeBytes(require_hex_to_binary.hexToBinary(context.spanId));',
      'writer.writeHexBytes(context.spanId);',
    ],
    [
      'writer.writeBytes(require_hex_to_binary.hexToBinary(ctx.traceId));',
      'writer.writeHexBytes(ctx.traceId);',
    ],
    [
      'writer.writeBytes(require_hex_to_binary.hexToBinary(ctx.spanId));',
      'writer.writeHexBytes(ctx.spanId);',
    ],
    [
      'writer.writeBytes(require_hex_to_binary.hexToBinary(span.parentSpanContext.spanId));',
      'writer.writeHexBytes(span.parentSpanContext.spanId);',
    ],
  ],
  // context.bind(ctx, fn) (pg binds its callbacks on every query) gave each wrapper the
  // target's `length` with Object.defineProperty, a slow runtime call on every new closure.
  // Up to four parameters the wrapper is declared with as many, which gives it the same
  // `length` (same attributes: not writable, not enumerable, configurable); past that, as before.
  'context-async-hooks/dist/AsyncLocalStorageContextManager.cjs': [
    [
      '//#region src/AsyncLocalStorageContextManager.ts\n',
      '//#region src/AsyncLocalStorageContextManager.ts\nconst BOUND_WRAPPERS = [\n\t(manager, context, target) => function contextWrapper() {\n\t\treturn manager.with(context, () => target.apply(this, arguments));\n\t},\n\t(manager, context, target) => function contextWrapper(a) {\n\t\treturn manager.with(context, () => target.apply(this, arguments));\n\t},\n\t(manager, context, target) => function contextWrapper(a, b) {\n\t\treturn manager.with(context, () => target.apply(this, arguments));\n\t},\n\t(manager, context, target) => function contextWrapper(a, b, c) {\n\t\treturn manager.with(context, () => target.apply(this, arguments));\n\t},\n\t(manager, context, target) => function contextWrapper(a, b, c, d) {\n\t\treturn manager.with(context, () => target.apply(this, arguments));\n\t}\n];\n',
    ],
    [
      '\t_bindFunction(context, target) {\n\t\tconst manager = this;\n',
      '\t_bindFunction(context, target) {\n\t\tconst manager = this;\n\t\tconst arity = target.length;\n\t\tif (typeof arity === "number" && arity >= 0 && arity < BOUND_WRAPPERS.length && Number.isInteger(arity)) return BOUND_WRAPPERS[arity](manager, context, target);\n',
    ],
  ],
};
// Files built by rolldown that take `import * as api` wrap the API module in `__toESM`: a copy
// whose every property is a getter, `((k) => from[k]).bind(null, key)`. Each `api.context`,
// `api.trace`, `api.SpanKind`… then calls a getter doing a megamorphic keyed load: in the SDK's
// startSpan about 1,200 machine instructions per span (callgrind). Where the file never reads
// `.default` (the one thing the wrapper adds), the module's own exports object is used instead.
const API_NAMESPACE = '_opentelemetry_api = require_runtime.__toESM(_opentelemetry_api);\n';
function unwrapApiNamespace(contents) {
  if (!contents.includes(API_NAMESPACE) || contents.includes('_opentelemetry_api.default')) {
    return contents;
  }
  // An empty line in its place: the file's source map still lines up.
  return contents.replace(API_NAMESPACE, '\n');
}

// Instrumentations read attribute names from the semantic-conventions module and from their
// own semconv.cjs (`{ [semconv.ATTR_DB_SYSTEM_NAME]: … }`). A key read from another module's
// exports is computed at run time, so V8 defines each property of such an object literal
// through the runtime, for every span and metric point. The names are constants: they are
// written in as string literals (esbuild's minifier then makes `["db.namespace"]` a plain key).
function inlineSemconvNames(contents, file) {
  const sources = [];
  if (
    contents.includes(
      'let _opentelemetry_semantic_conventions = require("@opentelemetry/semantic-conventions");',
    )
  ) {
    sources.push([
      '_opentelemetry_semantic_conventions',
      createRequire(file)('@opentelemetry/semantic-conventions'),
    ]);
  }
  if (contents.includes('const require_semconv = require("./semconv.cjs");')) {
    sources.push(['require_semconv', createRequire(file)('./semconv.cjs')]);
  }
  for (const [name, constants] of sources) {
    contents = contents.replace(
      new RegExp(`\\b${name}\\.([A-Z][A-Z0-9_]*)\\b`, 'g'),
      (whole, constant) =>
        typeof constants[constant] === 'string' ? JSON.stringify(constants[constant]) : whole,
    );
  }
  return contents;
}

const hotPaths = {
  name: 'otel-hot-paths',
  setup(b) {
    b.onLoad({ filter: /@opentelemetry[\\/][^\\/]+[\\/]dist[\\/].*\.cjs$/ }, (args) => {
      const file = args.path.split(/[\\/]/).join('/');
      const entry = Object.entries(HOT_PATH_FIXES).find(([suffix]) => file.endsWith(suffix));
      const original = readFileSync(args.path, 'utf8');
      let contents = unwrapApiNamespace(original);
      for (const [from, to] of entry?.[1] ?? []) {
        if (!contents.includes(from)) {
          throw new Error(
            `${args.path}: expected ${JSON.stringify(from.slice(0, 60))}… (changed upstream: review HOT_PATH_FIXES)`,
          );
        }
        contents = contents.replace(from, to);
      }
      // The fixes above match upstream's text, so the names are written in after them.
      contents = inlineSemconvNames(contents, args.path);
      return contents === original ? undefined : { contents, loader: 'js' };
    });
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: { start: 'dist/start.js' },
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  // Whitespace and syntax only: Strata's own stack traces in diagnostics stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: false,
  sourcemap: 'linked',
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  // Shared with the application and the loader thread, so never copied:
  //  - @opentelemetry/api: an app's manual spans must go through the same API copy npm resolved;
  //  - import-in-the-middle: its ESM hooks and the instrumentations must share one registry.
  external: ['@opentelemetry/api', 'import-in-the-middle', 'import-in-the-middle/*'],
  plugins: [zodEnglishOnly, hotPaths],
});

// load-bundle.cjs names its V8 code cache after this digest: V8 itself checks
// only the source's length, so a rebuilt bundle must never meet an old cache.
const bundleFile = join(root, 'dist', 'bundle', 'start.js');
const digest = createHash('sha256').update(readFileSync(bundleFile)).digest('hex');
writeFileSync(`${bundleFile}.sha256`, `${digest}\n`);

const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`bundle: dist/bundle/start.js (${(bytes / 1024).toFixed(0)} KiB with map)`);
