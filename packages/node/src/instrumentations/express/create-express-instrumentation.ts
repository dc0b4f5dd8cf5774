import { diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { ExpressInstrumentationConfig } from '@opentelemetry/instrumentation-express';
import { leanApplyPatch } from './lean-layer-patch';

/**
 * The stock Express instrumentation (it finds and wraps the routers of Express 4 and 5)
 * with Strata's per-layer patch in place of its own: the same spans with less work per
 * layer (lean-layer-patch.ts). Compared with the stock patch on Express 4 and 5 (e2e).
 */
export function createExpressInstrumentation(
  config: ExpressInstrumentationConfig = {},
): Instrumentation {
  // Loaded here, not at the top: the package is read only when the app uses express.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
  const instrumentation = new ExpressInstrumentation(config);
  // A private method of the stock class: if a new version renames it, keep the stock patch.
  if (typeof instrumentation._applyPatch === 'function') {
    instrumentation._applyPatch = leanApplyPatch;
  } else {
    diag.debug('strata: express instrumentation without _applyPatch; using its own layer patch');
  }
  return instrumentation;
}
