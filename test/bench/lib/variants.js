// The instrumentation variants: node flags and environment for each, and whether it can run here.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BENCH_DIR } from './processes.js';

const requireFromBench = createRequire(join(BENCH_DIR, 'package.json'));

// The stock register's default resource detectors include cloud ones (AWS, GCP, Azure, Alibaba)
// that probe metadata services off the machine; keep only the local ones. Everything else stays
// at its default: traces, metrics and logs all go over OTLP, here to the harness's local sink.
const LOCAL_DETECTORS = 'env,host,os,process,serviceinstance,container';

/**
 * The stock ESM loader hook (`@opentelemetry/instrumentation/hook.mjs`), taken from the copy the
 * auto-instrumentations package itself uses: the hoisted copy may be another version, or absent.
 */
function stockEsmHook() {
  const autoMain = requireFromBench.resolve('@opentelemetry/auto-instrumentations-node');
  return pathToFileURL(createRequire(autoMain).resolve('@opentelemetry/instrumentation/hook.mjs'))
    .href;
}

const stockFlags = (app) =>
  app.esm
    ? [
        // The documented ESM set-up: the import-in-the-middle loader hook, then the register.
        `--experimental-loader=${stockEsmHook()}`,
        '--import',
        '@opentelemetry/auto-instrumentations-node/register',
      ]
    : ['--require', '@opentelemetry/auto-instrumentations-node/register'];

const strataFlags = (app) =>
  app.esm ? ['--import', '@strata/node/register'] : ['--require', '@strata/node/register'];

const strataEnv = (config) => (ctx) => ({
  OTEL_SERVICE_NAME: 'strata-bench',
  OTEL_EXPORTER_OTLP_ENDPOINT: ctx.sinkUrl,
  STRATA_CONFIG: join(BENCH_DIR, 'configs', config),
  STRATA_BENCH_METRICS_PORT: String(ctx.metricsPort),
  // The register bundle's V8 code cache, in a directory of this run only (see measure.js).
  NODE_COMPILE_CACHE: ctx.codeCacheDir,
});

/** Variant id → description, node flags for an app, extra environment for a run context. */
export const VARIANTS = {
  none: { describe: 'no instrumentation', flags: () => [], env: () => ({}), targets: false },
  stock: {
    describe: 'auto-instrumentations-node/register, default settings, OTLP to a local sink',
    flags: stockFlags,
    env: (ctx) => ({
      OTEL_SERVICE_NAME: 'strata-bench',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: ctx.sinkUrl,
      OTEL_NODE_RESOURCE_DETECTORS: LOCAL_DETECTORS,
    }),
    targets: false,
  },
  strata: {
    describe: 'Strata defaults (baseline 0.1 + outliers + layers), configs/strata-default.yaml',
    flags: strataFlags,
    env: strataEnv('strata-default.yaml'),
    targets: true,
    codeCache: true,
  },
  'strata-all': {
    describe: 'Strata exporting 100% (baseline 1.0), configs/strata-all.yaml',
    flags: strataFlags,
    env: strataEnv('strata-all.yaml'),
    targets: true,
    codeCache: true,
  },
};

/** Why `variant` cannot run `app` here (its register is missing or unbuilt), or null. */
export function unavailableReason(variantId, app) {
  if (variantId === 'none') return null;
  const specifier =
    variantId === 'stock'
      ? '@opentelemetry/auto-instrumentations-node/register'
      : '@strata/node/register';
  try {
    const path = app.esm
      ? fileURLToPath(import.meta.resolve(specifier))
      : requireFromBench.resolve(specifier);
    if (!existsSync(path)) return `${specifier} resolves to ${path}, which does not exist`;
    if (variantId === 'stock' && app.esm) stockEsmHook();
    return null;
  } catch (error) {
    const hint = variantId === 'stock' ? 'run npm install' : 'run npx turbo run build';
    return `${specifier} does not resolve (${error.code ?? error.message}); ${hint}`;
  }
}

/** The environment every child starts from: the harness's, minus settings that would skew it. */
export function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('OTEL_') || key.startsWith('STRATA_') || key === 'NODE_OPTIONS') {
      delete env[key];
    }
  }
  return env;
}
