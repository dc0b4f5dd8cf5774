'use strict';
// `node --require @strata/node/register app.js`: start Strata before the
// application loads, with no code change. Loads the single-file bundle
// (scripts/bundle.mjs): start-up time matters more here than anywhere.
require('./dist/bundle/start.js').start();
