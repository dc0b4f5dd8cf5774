import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// @strata/node requires this package at process start-up: without a strata.yaml it must not
// pay for `yaml` and `zod` (tens of milliseconds each). Checked on the built package, as loaded.
const root = join(__dirname, '../../..');
const script = `
  const config = require(${JSON.stringify(join(root, 'packages/config/dist/index.js'))});
  config.loadConfig({ cwd: process.argv[1], env: {} });
  const heavy = (name) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + name + '/'));
  console.log(JSON.stringify({ yaml: heavy('yaml'), zod: heavy('zod') }));
`;
const loaded = (cwd: string) =>
  JSON.parse(
    execFileSync(join(root, 'node_modules/.bin/node'), ['-e', script, cwd], { encoding: 'utf8' }),
  );

beforeAll(() => {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'packages/config'], { cwd: root });
}, 60_000);

describe('lazy loading', () => {
  it('loads neither yaml nor zod when there is no file', () => {
    expect(loaded(mkdtempSync(join(tmpdir(), 'strata-lazy-')))).toEqual({
      yaml: false,
      zod: false,
    });
  });

  it('loads both when there is a file to parse', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'strata-lazy-'));
    writeFileSync(join(cwd, 'strata.yaml'), 'strict: false\n');
    expect(loaded(cwd)).toEqual({ yaml: true, zod: true });
  });
});
