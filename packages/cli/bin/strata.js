#!/usr/bin/env node
'use strict';
// The `strata` command; all of it lives in dist/cli.js (build with `npx tsc -b packages/cli`).
Promise.resolve(require('../dist/cli.js').main(process.argv.slice(2))).then((code) => {
  process.exitCode = code;
});
