import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributeWith } from '../src/attribute-layers';
import { attributeLayers, createLayerClassifier, type LayerSpan } from '../src/index';
import { span } from './fixtures';

const { classify } = createLayerClassifier();
const GROUPS = [
  ['app', 'test'],
  ['db', 'pg'],
  ['cache', 'redis'],
  ['http', 'api'],
  ['framework', 'express'],
] as const;

/** Random local trace: span 0 is the root (0..100 unless skewed); parents precede children or are missing. */
const traceArb = fc
  .array(
    fc.record({
      parent: fc.oneof(fc.nat(), fc.constant(-1)),
      start: fc.integer({ min: -30, max: 130 }),
      length: fc.integer({ min: -10, max: 120 }),
      group: fc.nat(GROUPS.length - 1),
    }),
    { maxLength: 40 },
  )
  .chain((children) =>
    fc.record({
      root: fc.record({
        start: fc.integer({ min: 0, max: 20 }),
        length: fc.integer({ min: 0, max: 100 }),
      }),
      children: fc.constant(children),
      order: fc.shuffledSubarray(
        Array.from({ length: children.length + 1 }, (_, i) => i),
        { minLength: children.length + 1, maxLength: children.length + 1 },
      ),
    }),
  )
  .map(({ root, children, order }) => {
    const spans: LayerSpan[] = [span('s0', undefined, root.start, root.start + root.length, 'app')];
    children.forEach((c, k) => {
      const i = k + 1;
      const parent = c.parent === -1 ? 'missing' : `s${c.parent % i}`;
      const [layer, system] = GROUPS[c.group];
      spans.push(span(`s${i}`, parent, c.start, c.start + c.length, layer, system));
    });
    return { spans, shuffled: order.map((i) => spans[i]), rootAt: order.indexOf(0) };
  });

/** Brute-force wall share (floats) and work, per "layer/system": the definition, interval by interval. */
function reference(spans: LayerSpan[]): Map<string, { wall: number; work: number }> {
  const root = spans[0];
  const rs = root.start;
  const re = Math.max(root.end, rs);
  const clip = spans.map((s, i) => {
    if (i === 0) return [rs, re];
    const a = Math.min(Math.max(s.start, rs), re);
    return [a, Math.min(Math.max(s.end, a), re)];
  });
  const index = new Map(spans.map((s, i) => [s.spanId, i]));
  const parent = spans.map((s, i) => (i === 0 ? -1 : (index.get(s.parentSpanId ?? '') ?? 0)));
  const key = (s: LayerSpan) =>
    `${s.attributes['strata.layer']}/${s.attributes['strata.layer.system']}`;
  const out = new Map<string, { wall: number; work: number }>();
  spans.forEach((s, i) => {
    if (i === 0 || clip[i][1] > clip[i][0]) out.set(key(s), { wall: 0, work: 0 });
  });
  const cuts = [...new Set(clip.flat())].sort((a, b) => a - b);
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [t0, t1] = [cuts[k], cuts[k + 1]];
    const open = spans.map((_, i) => clip[i][0] <= t0 && clip[i][1] >= t1);
    const hasOpenDescendant = spans.map(() => false);
    spans.forEach((_, i) => {
      if (!open[i]) return;
      for (let p = parent[i]; p !== -1; p = parent[p]) hasOpenDescendant[p] = true;
    });
    const leaves = spans.map((_, i) => i).filter((i) => open[i] && !hasOpenDescendant[i]);
    for (const i of leaves) {
      const entry = out.get(key(spans[i]))!;
      entry.wall += (t1 - t0) / leaves.length;
      entry.work += t1 - t0;
    }
  }
  return out;
}

describe('attributeLayers', () => {
  describe('properties over random span trees', () => {
    it('sums wall time exactly to the root duration, with non-negative integers', () => {
      fc.assert(
        fc.property(traceArb, ({ spans }) => {
          const result = attributeLayers(spans, 0, classify);
          expect(result.total).toBe(Math.max(0, spans[0].end - spans[0].start));
          expect(result.entries.reduce((sum, e) => sum + e.wall, 0)).toBe(result.total);
          for (const e of result.entries) {
            expect(Number.isInteger(e.wall) && e.wall >= 0).toBe(true);
            expect(Number.isInteger(e.work) && e.work >= 0).toBe(true);
            expect(e.wall).toBeLessThanOrEqual(e.work);
          }
          expect(result.entries.reduce((sum, e) => sum + e.work, 0)).toBeGreaterThanOrEqual(
            result.total,
          );
        }),
        { numRuns: 500 },
      );
    });

    it('matches the brute-force definition: work exactly, wall within rounding', () => {
      fc.assert(
        fc.property(traceArb, ({ spans }) => {
          const expected = reference(spans);
          const result = attributeLayers(spans, 0, classify);
          expect(result.entries.map((e) => `${e.layer}/${e.system}`).sort()).toEqual(
            [...expected.keys()].sort(),
          );
          for (const e of result.entries) {
            const want = expected.get(`${e.layer}/${e.system}`)!;
            expect(e.work).toBe(want.work);
            expect(Math.abs(e.wall - want.wall)).toBeLessThan(1);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('gives the same result walking ancestors or using the segment tree', () => {
      fc.assert(
        fc.property(traceArb, ({ shuffled, rootAt }) => {
          expect(attributeWith(shuffled, rootAt, classify, 'walk')).toEqual(
            attributeWith(shuffled, rootAt, classify, 'tree'),
          );
        }),
        { numRuns: 500 },
      );
    });

    it('does not depend on the order of the spans', () => {
      fc.assert(
        fc.property(traceArb, ({ spans, shuffled, rootAt }) => {
          expect(attributeLayers(shuffled, rootAt, classify)).toEqual(
            attributeLayers(spans, 0, classify),
          );
        }),
        { numRuns: 300 },
      );
    });

    it('ignores spans that lie outside the root interval', () => {
      fc.assert(
        fc.property(traceArb, fc.integer({ min: 1, max: 50 }), ({ spans }, gap) => {
          const root = spans[0];
          const outside = [
            span('before', 's0', root.start - gap - 10, root.start - gap, 'db', 'pg'),
            span(
              'after',
              's0',
              Math.max(root.end, root.start) + gap,
              root.end + gap + 10,
              'rpc',
              'grpc',
            ),
          ];
          expect(attributeLayers([...spans, ...outside], 0, classify)).toEqual(
            attributeLayers(spans, 0, classify),
          );
        }),
        { numRuns: 200 },
      );
    });

    it('gives wall == work when nothing runs concurrently', () => {
      const chainArb = fc.array(
        fc.tuple(fc.integer({ min: 1, max: 20 }), fc.nat(GROUPS.length - 1)),
        {
          maxLength: 30,
        },
      );
      fc.assert(
        fc.property(chainArb, (steps) => {
          // Sequential siblings: each starts where the previous ended.
          const spans = [span('s0', undefined, 0, 1000)];
          let t = 0;
          steps.forEach(([d, g], i) => {
            spans.push(span(`s${i + 1}`, 's0', t, t + d, GROUPS[g][0], GROUPS[g][1]));
            t += d;
          });
          for (const e of attributeLayers(spans, 0, classify).entries) expect(e.wall).toBe(e.work);
        }),
      );
    });

    it('terminates and sums exactly with arbitrary parent links (cycles, self-parents)', () => {
      const arb = fc.array(
        fc.record({
          parent: fc.nat(30),
          start: fc.integer({ min: -10, max: 110 }),
          length: fc.nat(60),
        }),
        { minLength: 1, maxLength: 30 },
      );
      fc.assert(
        fc.property(arb, (raw) => {
          const spans = raw.map((r, i) =>
            span(
              `s${i}`,
              `s${r.parent % raw.length}`,
              r.start,
              r.start + r.length,
              GROUPS[i % 5][0],
            ),
          );
          const result = attributeLayers(spans, 0, classify);
          expect(result.entries.reduce((sum, e) => sum + e.wall, 0)).toBe(result.total);
        }),
        { numRuns: 500 },
      );
    });
  });
});
