import { describe, expect, it } from 'vitest';
import { compileGlob } from '../src/index';

describe('compileGlob', () => {
  it.each([
    ['*', 'anything', true],
    ['*', '', true],
    ['@acme/*', '@acme/billing', true],
    ['@acme/*', '@acme/', true],
    ['@acme/*', '@acmex/billing', false],
    ['*-client', 'billing-client', true],
    ['a*b*c', 'a-b-c', true],
    ['a*b*c', 'a-c', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['a.b', 'axb', false],
    ['(x)+[y]?', '(x)+[y]?', true],
    ['GET *', 'GET /a\nb', true],
  ])('%s matches %s: %s', (pattern, text, expected) => {
    expect(compileGlob(pattern)(text)).toBe(expected);
  });
});
