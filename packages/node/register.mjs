// `node --import @strata/node/register app.mjs`: register the ESM loader
// hooks for the modules Strata instruments, then start Strata (CommonJS).
import { createRequire, register as registerLoader } from 'node:module';

const require = createRequire(import.meta.url);
const { start } = require('./load-bundle.cjs').loadStrata();

start({
  registerEsmHooks(moduleNames) {
    const include = [...new Set(moduleNames)];
    try {
      const hooks = require('import-in-the-middle/register-hooks.mjs');
      if (hooks.supportsSyncHooks()) {
        // In-thread hooks: no loader thread, no message round-trips per module.
        hooks.register({ include });
        return;
      }
    } catch {
      // Fall through to the loader thread.
    }
    registerLoader('import-in-the-middle/hook.mjs', import.meta.url, { data: { include } });
  },
});
