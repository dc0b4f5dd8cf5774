import { describe, expect, it } from 'vitest';
import { createRouteKeys, routeKey } from '../../src/outlier/route-key';

const CASES: [string | undefined, string | undefined, string | undefined, string][] = [
  ['GET', '/items/:id', undefined, 'GET /items/:id'],
  ['POST', '/items/:id', undefined, 'POST /items/:id'],
  ['GET', undefined, 'GET', 'GET '],
  ['GET', '', undefined, 'GET '],
  [undefined, '/items/:id', undefined, ' /items/:id'],
  [undefined, undefined, 'process-job', 'name:process-job'],
  [undefined, undefined, undefined, ' '],
];

describe('routeKey', () => {
  it.each(CASES)('(%s, %s, %s) is %j', (method, route, name, key) => {
    expect(routeKey(method, route, name)).toBe(key);
  });
});

describe('createRouteKeys', () => {
  it.each(CASES)('(%s, %s, %s) is %j, first and again', (method, route, name, key) => {
    const keys = createRouteKeys(16);
    expect(keys(method, route, name)).toBe(key);
    expect(keys(method, route, name)).toBe(key);
  });

  it('keeps the name apart from a route of the same text', () => {
    const keys = createRouteKeys(16);
    expect(keys(undefined, undefined, '/a')).toBe('name:/a');
    expect(keys(undefined, '/a')).toBe(' /a');
  });

  it('stays right past its bound, when it forgets and starts again', () => {
    const keys = createRouteKeys(2);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) {
        expect(keys('GET', `/r${i}`)).toBe(`GET /r${i}`);
        expect(keys(undefined, undefined, `job${i}`)).toBe(`name:job${i}`);
      }
    }
  });
});
