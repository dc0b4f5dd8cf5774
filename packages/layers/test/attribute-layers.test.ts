import { describe, expect, it } from 'vitest';
import { attributeLayers, createLayerClassifier, type LayerSpan } from '../src/index';
import { span, table } from './fixtures';

const { classify } = createLayerClassifier();
const attribute = (spans: LayerSpan[], root: number | LayerSpan = 0) =>
  table(attributeLayers(spans, root, classify));

describe('attributeLayers', () => {
  describe('hand-made traces', () => {
    it('gives a lone root all of its time', () => {
      expect(attribute([span('r', undefined, 0, 100)])).toEqual({ 'app/test': [100, 100] });
    });

    it('splits sequential children and gives the gaps to the root', () => {
      const spans = [
        span('r', undefined, 0, 100),
        span('q', 'r', 10, 30, 'db', 'postgresql'),
        span('c', 'r', 40, 50, 'cache', 'redis'),
      ];
      expect(attribute(spans)).toEqual({
        'app/test': [70, 70],
        'db/postgresql': [20, 20],
        'cache/redis': [10, 10],
      });
    });

    it('splits two parallel queries equally; work counts both', () => {
      const spans = [
        span('r', undefined, 0, 100),
        span('q1', 'r', 10, 50, 'db', 'postgresql'),
        span('q2', 'r', 10, 30, 'cache', 'redis'),
      ];
      // 10..30 two leaves (10 each), 30..50 the query alone.
      expect(attribute(spans)).toEqual({
        'app/test': [60, 60],
        'db/postgresql': [30, 40],
        'cache/redis': [10, 20],
      });
      const same = [
        span('r', undefined, 0, 100),
        span('q1', 'r', 10, 50, 'db', 'postgresql'),
        span('q2', 'r', 10, 50, 'db', 'postgresql'),
      ];
      expect(attribute(same)).toEqual({ 'app/test': [60, 60], 'db/postgresql': [40, 80] });
    });

    it('clips a child that outlives the root', () => {
      const spans = [span('r', undefined, 0, 100), span('h', 'r', 80, 150, 'http', 'api')];
      expect(attribute(spans)).toEqual({ 'app/test': [80, 80], 'http/api': [20, 20] });
    });

    it('clips a child that starts before the root and ignores spans outside it', () => {
      const spans = [
        span('r', undefined, 0, 100),
        span('early', 'r', -50, 20, 'db', 'pg'),
        span('late', 'r', 200, 300, 'cache', 'redis'),
      ];
      expect(attribute(spans)).toEqual({ 'app/test': [80, 80], 'db/pg': [20, 20] });
    });

    it('gives zero-length spans and end < start (clock skew) no time', () => {
      const spans = [
        span('r', undefined, 0, 100),
        span('z', 'r', 50, 50, 'db', 'pg'),
        span('skew', 'r', 30, 20, 'cache', 'redis'),
      ];
      expect(attribute(spans)).toEqual({ 'app/test': [100, 100] });
    });

    it('gives nested spans their self time', () => {
      const spans = [
        span('r', undefined, 0, 100),
        span('mw', 'r', 10, 90, 'framework', 'express'),
        span('q', 'mw', 20, 40, 'db', 'pg'),
      ];
      expect(attribute(spans)).toEqual({
        'app/test': [20, 20],
        'framework/express': [60, 60],
        'db/pg': [20, 20],
      });
    });

    it('treats a grandchild outliving its parent as an open descendant of the grandparent', () => {
      const spans = [
        span('r', undefined, 0, 100),
        span('mw', 'r', 10, 30, 'framework', 'express'),
        span('q', 'mw', 20, 60, 'db', 'pg'),
      ];
      expect(attribute(spans)).toEqual({
        'app/test': [50, 50],
        'framework/express': [10, 10],
        'db/pg': [40, 40],
      });
    });

    it('hangs a span whose parent is missing from the root', () => {
      const spans = [
        span('r', undefined, 0, 100),
        span('mw', 'r', 0, 100, 'framework', 'express'),
        span('orphan', 'gone', 40, 60, 'db', 'pg'),
      ];
      // The orphan is not under the middleware: 40..60 is split between the two leaves.
      expect(attribute(spans)).toEqual({
        'app/test': [0, 0],
        'framework/express': [90, 100],
        'db/pg': [10, 20],
      });
    });

    it('terminates on parent cycles and still sums exactly', () => {
      const spans = [
        span('r', undefined, 0, 100),
        span('a', 'b', 10, 30, 'db', 'pg'),
        span('b', 'a', 20, 40, 'cache', 'redis'),
        span('self', 'self', 50, 60, 'http', 'api'),
      ];
      const result = attributeLayers(spans, 0, classify);
      expect(result.entries.reduce((sum, e) => sum + e.wall, 0)).toBe(100);
      expect(table(result)['http/api']).toEqual([10, 10]);
    });

    it('rounds by largest remainder: ties go to the first entry in (layer, system) order', () => {
      const spans = [
        span('r', undefined, 0, 11),
        span('q', 'r', 0, 11, 'db', 'pg'),
        span('c', 'r', 0, 11, 'cache', 'redis'),
      ];
      expect(attribute(spans)).toEqual({
        'app/test': [0, 0],
        'cache/redis': [6, 11],
        'db/pg': [5, 11],
      });
      const three = [
        span('r', undefined, 0, 10),
        span('a', 'r', 0, 10, 'http', 'a'),
        span('b', 'r', 0, 10, 'http', 'b'),
        span('c', 'r', 0, 10, 'http', 'c'),
      ];
      expect(attribute(three)).toEqual({
        'app/test': [0, 0],
        'http/a': [4, 10],
        'http/b': [3, 10],
        'http/c': [3, 10],
      });
    });

    it('accepts the root as an object, inside the list or not', () => {
      const root = span('r', undefined, 0, 100);
      const q = span('q', 'r', 10, 30, 'db', 'pg');
      const expected = { 'app/test': [80, 80], 'db/pg': [20, 20] };
      expect(attribute([q, root], root)).toEqual(expected);
      expect(attribute([q], root)).toEqual(expected);
      expect(attribute([q, root], 1)).toEqual(expected);
    });

    it('gives a root that ends before it starts a zero total', () => {
      const result = attributeLayers(
        [span('r', undefined, 100, 50), span('q', 'r', 60, 70, 'db', 'pg')],
        0,
        classify,
      );
      expect(result).toEqual({
        total: 0,
        entries: [{ layer: 'app', system: 'test', wall: 0, work: 0 }],
      });
    });

    it('rejects a root index outside the list', () => {
      expect(() => attributeLayers([span('r', undefined, 0, 1)], 3, classify)).toThrow(RangeError);
    });

    it('groups by value when the classifier does not intern its results', () => {
      const fresh = (s: LayerSpan) => ({
        layer: String(s.attributes['strata.layer']),
        system: 'x',
      });
      const spans = [
        span('r', undefined, 0, 100),
        span('q1', 'r', 10, 20, 'db'),
        span('q2', 'r', 30, 40, 'db'),
      ];
      expect(table(attributeLayers(spans, 0, fresh))).toEqual({
        'app/x': [80, 80],
        'db/x': [20, 20],
      });
    });

    it('groups by value past a handful of groups, across calls, interned or not', () => {
      const fresh = (s: LayerSpan) => ({
        layer: String(s.attributes['strata.layer']),
        system: String(s.attributes['strata.layer.system']),
      });
      // 24 systems, each called twice (10 ns apiece) back to back under a 500 ns root.
      const spans = [span('r', undefined, 0, 500)];
      for (let i = 0; i < 48; i++) {
        spans.push(span(`c${i}`, 'r', 10 * i, 10 * i + 10, 'db', `sys${i % 24}`));
      }
      const expected: Record<string, [number, number]> = { 'app/test': [20, 20] };
      for (let i = 0; i < 24; i++) expected[`db/sys${i}`] = [20, 20];
      for (const classifier of [fresh, classify, fresh]) {
        expect(table(attributeLayers(spans, 0, classifier))).toEqual(expected);
      }
    });

    it('works on deep chains without recursion limits', () => {
      const spans = [span('s0', undefined, 0, 200_000)];
      for (let i = 1; i < 100_000; i++) spans.push(span(`s${i}`, `s${i - 1}`, i, 200_000 - i));
      const result = attributeLayers(spans, 0, classify);
      expect(result.total).toBe(200_000);
      expect(table(result)['app/test']).toEqual([200_000, 200_000]);
    });
  });
});
