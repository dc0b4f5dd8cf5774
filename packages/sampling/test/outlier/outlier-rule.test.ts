import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../src/outlier/glob';
import { compileRule } from '../../src/outlier/outlier-rule';

describe('compileGlob', () => {
  it.each([
    ['/checkout*', '/checkout/pay', true],
    ['/checkout*', '/cart', false],
    ['*/pay', '/checkout/pay', true],
    ['/a.b', '/aXb', false],
    ['/a.b', '/a.b', true],
    ['*', '', true],
    ['GET /(x)*', 'GET /(x)/1', true],
  ])('%s matches %s: %s', (glob, value, expected) => {
    expect(compileGlob(glob)(value)).toBe(expected);
  });
});

describe('compileRule', () => {
  it.each([
    [{ status: '5xx' }, { status: 502 }, true],
    [{ status: '5XX' }, { status: 499 }, false],
    [{ status: 404 }, { status: 404 }, true],
    [{ status: '404' }, { status: 404 }, true],
    [{ over: 100 }, { durationMs: 101 }, true],
    [{ over: 100 }, { durationMs: 100 }, false],
    [{ layer: 'cache' }, { layerMs: { cache: 0 } }, true],
    [{ layer: 'cache' }, { layerMs: { db: 3 } }, false],
    [{ layer: 'db', over: 10 }, {}, false],
    [{ span: 'pg.*' }, {}, false],
    [{ attributes: { a: 1, b: true } }, { rootAttributes: { a: 1, b: true } }, true],
    [{ attributes: { a: 1 } }, { rootAttributes: { a: '1' } }, false],
    [{}, {}, true],
  ])('when %o on %o: %s', (when, input, expected) => {
    const rule = compileRule({ name: 'r', when, keep: true });
    expect(rule.matches({ durationMs: 0, ...input })).toBe(expected);
  });

  it('prints its configuration', () => {
    const rule = compileRule({ name: 'slow-db', when: { layer: 'db', over: 100 }, keep: true });
    expect(rule.toString()).toBe(
      'OutlierRule(name=slow-db, when={layer=db, over=100ms}, keep=true)',
    );
    expect(rule.reason).toBe('rule:slow-db');
  });
});
