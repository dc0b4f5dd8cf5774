import { isMainThread } from 'node:worker_threads';
import type { StrataConfig } from '@strata/config';
import { report, setupDiagLogger } from './diag-logger';

// For load-bundle.cjs, which writes the bundle's V8 code cache.
export { withDefaultV8Flags } from './runtime/young-generation';

/** How the process loaded Strata. */
export interface StartOptions {
  /** `--import` passes a hook that registers the ESM loader for the modules Strata instruments. */
  registerEsmHooks?: (moduleNames: string[]) => void;
}

/** A started Strata: flush and stop it (tests, and the signal handlers). */
export interface StrataHandle {
  config: StrataConfig;
  /** Register the ESM loader hooks for the instrumented modules (a later `--import`). */
  registerEsmHooks(register: (moduleNames: string[]) => void): void;
  flush(timeoutMs?: number): Promise<void>;
  shutdown(timeoutMs?: number): Promise<void>;
}

const STARTED = Symbol.for('strata.node.started');

/**
 * Start Strata once per process. Never throws: a bad strata.yaml prints one
 * message and leaves the application running without telemetry, unless the
 * file says `strict: true`, which exits with status 78 (EX_CONFIG).
 */
export function start(options: StartOptions = {}): StrataHandle | undefined {
  const g = globalThis as { [STARTED]?: StrataHandle | null };
  // A second copy (preloaded with --require and bundled in the app) must not
  // register twice; `--require` and `--import` together still get the ESM hooks.
  if (g[STARTED] !== undefined) {
    const started = g[STARTED] ?? undefined;
    if (started && options.registerEsmHooks) started.registerEsmHooks(options.registerEsmHooks);
    return started;
  }
  // Worker threads inherit the flag; one Strata per process (one buffer, one
  // metrics port) unless asked otherwise.
  if (!isMainThread && process.env.STRATA_WORKER_THREADS !== 'true') return undefined;
  g[STARTED] = null;
  const config = loadConfigOrReport();
  if (!config || config.disabled) return undefined;
  try {
    setupDiagLogger(config.log_level);
    const { assemble } = require('./assemble') as typeof import('./assemble');
    const handle = assemble(config, options);
    g[STARTED] = handle;
    return handle;
  } catch (err) {
    report(
      `could not start, the application runs without telemetry: ${(err as Error)?.stack ?? err}`,
    );
    return undefined;
  }
}

function loadConfigOrReport(): StrataConfig | undefined {
  const { loadConfig } = require('@strata/config') as typeof import('@strata/config');
  try {
    return loadConfig().config;
  } catch (err) {
    const error = err as Error & { code?: string; strict?: boolean };
    const strict = error.strict === true || process.env.STRATA_STRICT === 'true';
    report(
      `${error.message}\n` +
        (strict
          ? 'strata: strict: true is set, so the process exits.'
          : 'strata: the application runs without telemetry (set strict: true to make this fatal).'),
    );
    if (strict) process.exit(78);
    return undefined;
  }
}
