import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, StrataConfigError } from '../src/index';

// Each invalid fixture lists the problems it must raise in trailing comments, in file order:
//   # expect <line>:<col> <path>: <start of the message>
const dir = join(__dirname, 'fixtures');
const EXPECT = /^# expect (\d+):(\d+) (\S*): (.*)$/;
const env = { STRATA_TEST_RATE: '2' };

function parseError(text: string, file: string): StrataConfigError {
  try {
    parseConfig(text, { file, env, cwd: dir });
  } catch (error) {
    if (error instanceof StrataConfigError) return error;
    throw error;
  }
  throw new Error(`${file} was accepted`);
}

describe('invalid strata.yaml fixtures', () => {
  const fixtures = readdirSync(dir).filter((f) => f.startsWith('invalid-'));

  it('cover at least 30 scenarios', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(fixtures)('%s', (fixture) => {
    const text = readFileSync(join(dir, fixture), 'utf8');
    const expected = text
      .split('\n')
      .map((line) => EXPECT.exec(line))
      .filter((m) => m !== null)
      .map(([, line, col, path, message]) => ({
        line: Number(line),
        col: Number(col),
        path,
        message,
      }));
    expect(expected.length, 'fixture has # expect lines').toBeGreaterThan(0);
    const error = parseError(text, `fixtures/${fixture}`);
    expect(error.code).toBe('STRATA_CONFIG_INVALID');
    const actual = error.issues.map((i) => ({
      line: i.line,
      col: i.col,
      path: i.path,
      message: i.message,
    }));
    expect(actual).toEqual(
      expected.map((e) => ({ ...e, message: expect.stringContaining(e.message) })),
    );
    for (const issue of error.issues) {
      expect(issue.file).toBe(`fixtures/${fixture}`);
      expect(error.message).toContain(
        `fixtures/${fixture}:${issue.line}:${issue.col} ${issue.path}`,
      );
    }
  });
});
