// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references.
import { describe, expect, it } from 'vitest';
import { retype, substitute } from '../src/substitute';

const env = { HOST: 'db.internal', EMPTY: '', PORT: '5432' };
const ok = (text: string) => {
  const result = substitute(text, env);
  if (!result.ok) throw new Error(result.problem);
  return result.value;
};

describe('substitute', () => {
  it.each([
    ['${HOST}', 'db.internal'],
    ['http://${HOST}:${PORT}/x', 'http://db.internal:5432/x'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${MISSING:-}', ''],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY}', ''],
    ['${HOST:-fallback}', 'db.internal'],
    ['$${HOST}', '${HOST}'],
    ['cost: $5 and $HOST', 'cost: $5 and $HOST'],
    ['no references', 'no references'],
  ])('%s → %s', (text, expected) => {
    expect(ok(text)).toBe(expected);
  });

  it('reports an unset variable with its offset and how to give a default', () => {
    expect(substitute('url-${NOPE}', env)).toEqual({
      ok: false,
      offset: 4,
      variable: 'NOPE',
      problem: 'environment variable NOPE is not set',
      expected: 'NOPE set, or a default: ${NOPE:-value}',
    });
  });

  it.each([
    ['${HOST', 'unterminated "${" in "${HOST"'],
    ['${9LIVES}', '"${9LIVES}" is not a variable reference'],
    ['${}', '"${}" is not a variable reference'],
  ])('rejects %s', (text, problem) => {
    expect(substitute(text, env)).toMatchObject({ ok: false, offset: 0, problem });
  });
});

describe('retype', () => {
  it.each([
    ['0.5', 0.5],
    ['42', 42],
    ['-3', -3],
    ['1e3', 1000],
    ['true', true],
    ['FALSE', false],
    ['yes', 'yes'],
    ['64MB', '64MB'],
    ['', ''],
  ] as const)('%j → %j', (text, value) => {
    expect(retype(text)).toBe(value);
  });
});
