'use strict';
// `node --require @strata/node/register app.js`: start Strata before the
// application loads, with no code change. Start-up time matters more here than
// anywhere: one bundled file (scripts/bundle.mjs), compiled with a code cache
// (load-bundle.cjs).
require('./load-bundle.cjs').loadStrata().start();
