#!/usr/bin/env node
// Writes packages/config/strata.schema.json from the zod schema (run `npm run schema` at the root,
// which builds @strata/config first). `--check` exits 1 when the committed file is stale instead.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { toJsonSchema } = require('../dist/index.js');

const file = join(__dirname, '..', 'strata.schema.json');
const text = `${JSON.stringify(toJsonSchema(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {}
  if (current !== text) {
    console.error(`${file} is stale: run npm run schema`);
    process.exit(1);
  }
} else {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
