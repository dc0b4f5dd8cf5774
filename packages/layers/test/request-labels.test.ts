import { describe, expect, it } from 'vitest';
import { normalizeMethod } from '../src/index';

describe('normalizeMethod', () => {
  it.each([
    ['GET', 'GET'],
    ['get', 'GET'],
    ['Patch', 'PATCH'],
    ['QUERY', 'QUERY'],
    ['PROPFIND', '_OTHER'],
    ['', '_OTHER'],
  ])('%s → %s', (method, expected) => {
    expect(normalizeMethod(method)).toBe(expected);
  });
});
