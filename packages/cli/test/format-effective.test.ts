import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@strata/config';
import { describe, expect, it } from 'vitest';
import { formatEffective, formatMs, sourceText } from '../src/format-effective';

const cwd = mkdtempSync(join(tmpdir(), 'strata-cli-'));
const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../config/test/fixtures', name), 'utf8');

describe('formatEffective', () => {
  it.each(['valid-design-example.yaml', 'valid-every-key.yaml'])(
    'prints %s as YAML that reads back to the same configuration',
    (name) => {
      const env = { DEPLOY_ENV: 'prod', API_KEY: 'k' };
      const { config } = parseConfig(fixture(name), { file: 'strata.yaml', env, cwd });
      const printed = formatEffective(config, () => 'x');
      expect(parseConfig(printed, { file: 'printed.yaml', env: {}, cwd }).config).toEqual(config);
    },
  );

  it('puts the source of each leaf in a comment', () => {
    const text = formatEffective(
      { sampling: { baseline: 0.5, outliers: { budget: 50 } } },
      (path) => `<${path}>`,
    );
    const row = (text: string, source: string) => `${text.padEnd(47)} # ${source}`;
    expect(text).toBe(
      [
        'sampling:',
        row('  baseline: 0.5', '<sampling.baseline>'),
        '  outliers:',
        row('    budget: 50/s', '<sampling.outliers.budget>'),
        '',
      ].join('\n'),
    );
  });
});

describe('formatMs', () => {
  it.each([
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [1250, '1250ms'],
    [60_000, '1m'],
    [90_000, '90s'],
  ])('%d → %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});

describe('sourceText', () => {
  it.each([
    [{ kind: 'default' } as const, 'default'],
    [{ kind: 'env', name: 'OTEL_SERVICE_NAME' } as const, 'env OTEL_SERVICE_NAME'],
    [{ kind: 'file', file: 'strata.yaml', line: 4, col: 13 } as const, 'strata.yaml:4'],
  ])('%j → %s', (source, text) => {
    expect(sourceText(source)).toBe(text);
  });
});
