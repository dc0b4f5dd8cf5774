import { describe, expect, it } from 'vitest';
import {
  createOutlierDecider,
  type OutlierDeciderOptions,
} from '../../src/outlier/outlier-decider';
import type { TraceSummary } from '../../src/types';

const SLOW = { percentile: 99, window: 60_000, floor: 50, ceiling: 2000 };

function setup(options: OutlierDeciderOptions = {}) {
  const clock = { t: 1_000_000 };
  const decider = createOutlierDecider({ now: () => clock.t, ...options });
  return { clock, decider };
}

const trace = (over: Partial<TraceSummary> = {}): TraceSummary => ({
  route: '/items/:id',
  method: 'GET',
  status: 200,
  error: false,
  durationMs: 10,
  rootAttributes: {},
  baseline: false,
  ...over,
});

describe('createOutlierDecider', () => {
  describe('errors', () => {
    it.each([
      [{ error: true }, true],
      [{ status: 500 }, true],
      [{ status: 503 }, true],
      [{ status: 404 }, false],
      [{ status: 200 }, false],
    ])('%o is kept as error: %s', (over, kept) => {
      const { decider } = setup();
      expect(decider.decide(trace(over))).toEqual(
        kept ? { keep: true, reason: 'error' } : { keep: false, reason: 'none' },
      );
    });

    it('ignores errors with errors: false', () => {
      const { decider } = setup({ errors: false });
      expect(decider.decide(trace({ status: 500, error: true })).keep).toBe(false);
    });
  });

  describe('baseline and marks', () => {
    it('keeps baseline traces as baseline without spending the budget', () => {
      const { decider } = setup({ budget: 1 });
      for (let i = 0; i < 100; i++) {
        expect(decider.decide(trace({ baseline: true, error: true }))).toEqual({
          keep: true,
          reason: 'baseline',
        });
      }
      expect(decider.decide(trace({ error: true }))).toEqual({ keep: true, reason: 'error' });
      expect(decider.decide(trace({ error: true }))).toEqual({ keep: false, reason: 'error' });
    });

    it('keeps a marked trace with its mark reason', () => {
      const { decider } = setup({ budget: 0 });
      expect(decider.decide(trace({ marked: 'caller' }))).toEqual({ keep: true, reason: 'caller' });
    });

    it('admits cross-service marks always, local ones within the budget', () => {
      const { decider } = setup({ budget: 1 });
      expect(decider.admit('error')).toBe(true);
      expect(decider.admit('error')).toBe(false);
      expect(decider.admit('caller')).toBe(true);
      expect(decider.admit('callee')).toBe(true);
    });
  });

  describe('slow', () => {
    it('uses the ceiling while the window warms up', () => {
      const { decider } = setup({ slow: SLOW });
      for (let i = 0; i < 10; i++) decider.decide(trace({ durationMs: 100 }));
      expect(decider.thresholdMs('GET', '/items/:id')).toBe(2000);
      expect(decider.decide(trace({ durationMs: 1500 })).keep).toBe(false);
      expect(decider.decide(trace({ durationMs: 2500 }))).toEqual({ keep: true, reason: 'slow' });
    });

    it('uses the route percentile once warm, per method and route', () => {
      const { decider } = setup({ slow: SLOW });
      for (let i = 0; i < 500; i++) decider.decide(trace({ durationMs: 80 + (i % 41) }));
      const threshold = decider.thresholdMs('GET', '/items/:id')!;
      expect(threshold).toBeGreaterThan(110);
      expect(threshold).toBeLessThan(130);
      expect(decider.decide(trace({ durationMs: 300 }))).toEqual({ keep: true, reason: 'slow' });
      expect(decider.decide(trace({ durationMs: 100 })).keep).toBe(false);
      // Another route, or another method, has its own (cold) window.
      expect(decider.thresholdMs('POST', '/items/:id')).toBe(2000);
      expect(decider.thresholdMs('GET', '/other')).toBe(2000);
    });

    it('clamps the threshold to the floor', () => {
      const { decider } = setup({ slow: SLOW });
      for (let i = 0; i < 200; i++) decider.decide(trace({ durationMs: 5 }));
      expect(decider.thresholdMs('GET', '/items/:id')).toBe(50);
      expect(decider.decide(trace({ durationMs: 40 })).keep).toBe(false);
      expect(decider.decide(trace({ durationMs: 60 })).keep).toBe(true);
    });

    it('forgets durations that slid out of the window', () => {
      const { clock, decider } = setup({ slow: SLOW });
      for (let i = 0; i < 200; i++) decider.decide(trace({ durationMs: 1000 }));
      expect(decider.thresholdMs('GET', '/items/:id')).toBeGreaterThan(950);
      clock.t += 70_000;
      for (let i = 0; i < 200; i++) decider.decide(trace({ durationMs: 100 }));
      const threshold = decider.thresholdMs('GET', '/items/:id')!;
      expect(threshold).toBeGreaterThan(95);
      expect(threshold).toBeLessThan(105);
    });

    it('bounds the routes it remembers (least recently seen forgotten)', () => {
      const { decider } = setup({ slow: SLOW, max_routes: 2, min_samples: 1 });
      for (const route of ['/a', '/b', '/c']) decider.decide(trace({ route, durationMs: 100 }));
      expect(decider.thresholdMs('GET', '/a')).toBe(2000);
      expect(decider.thresholdMs('GET', '/b')).toBeLessThan(2000);
      expect(decider.thresholdMs('GET', '/c')).toBeLessThan(2000);
    });

    it('keys non-HTTP roots by span name', () => {
      const { decider } = setup({ slow: SLOW, min_samples: 1 });
      decider.decide(trace({ route: undefined, method: undefined, name: 'job', durationMs: 100 }));
      expect(decider.thresholdMs(undefined, undefined, 'job')).toBeLessThan(2000);
      expect(decider.thresholdMs(undefined, undefined, 'other')).toBe(2000);
    });
  });

  describe('rules', () => {
    const rules = [
      { name: 'no-export', when: { route: '/export*' }, keep: false },
      { name: 'checkout', when: { route: '/checkout*', method: 'post' }, keep: true },
      { name: 'vip', when: { attributes: { 'user.tier': 'vip' } }, keep: true },
      { name: 'slow-db', when: { layer: 'db', over: 100 }, keep: true },
      { name: 'llm', when: { span: 'llm.*' }, keep: true },
      { name: 'teapot', when: { status: '4xx', over: 500 }, keep: true },
    ];
    it.each([
      [
        { route: '/checkout/pay', method: 'POST' },
        { keep: true, reason: 'rule:checkout' },
      ],
      [
        { route: '/checkout/pay', method: 'GET' },
        { keep: false, reason: 'none' },
      ],
      [
        { route: undefined, path: '/checkout/1', method: 'POST' },
        { keep: true, reason: 'rule:checkout' },
      ],
      [{ rootAttributes: { 'user.tier': 'vip' } }, { keep: true, reason: 'rule:vip' }],
      [{ rootAttributes: { 'user.tier': 'gold' } }, { keep: false, reason: 'none' }],
      [{ layerMs: { db: 150, app: 3 } }, { keep: true, reason: 'rule:slow-db' }],
      [{ layerMs: { db: 50 } }, { keep: false, reason: 'none' }],
      [{ spans: [{ name: 'GET' }, { name: 'llm.chat' }] }, { keep: true, reason: 'rule:llm' }],
      [
        { status: 418, durationMs: 600 },
        { keep: true, reason: 'rule:teapot' },
      ],
      [
        { status: 418, durationMs: 100 },
        { keep: false, reason: 'none' },
      ],
      [
        { route: '/export/all', durationMs: 5000 },
        { keep: false, reason: 'rule:no-export' },
      ],
      [
        { route: '/export/all', status: 500 },
        { keep: true, reason: 'error' },
      ],
      [
        { route: '/export/all', baseline: true },
        { keep: true, reason: 'baseline' },
      ],
    ])('%o → %o', (over, expected) => {
      const { decider } = setup({ slow: SLOW, rules });
      expect(decider.decide(trace(over as Partial<TraceSummary>))).toEqual(expected);
    });
  });

  describe('budget', () => {
    it('keeps errors before slow traces under a flood of errors', () => {
      const { clock, decider } = setup({ slow: SLOW, budget: 10 });
      const kept = { error: 0, slow: 0, slowAfterBurst: 0 };
      for (let second = 0; second < 5; second++) {
        for (let i = 0; i < 200; i++) {
          const error = decider.decide(trace({ error: true }));
          const slow = decider.decide(trace({ durationMs: 5000 }));
          if (error.keep) kept.error++;
          if (slow.keep) kept.slow++;
          if (slow.keep && second > 0) kept.slowAfterBurst++;
          clock.t += 5;
        }
      }
      // 5 s at 10/s plus the initial burst of 10 (the bucket starts full), errors first.
      expect(kept.error + kept.slow).toBeLessThanOrEqual(60);
      expect(kept.error).toBeGreaterThanOrEqual(50);
      // Only while the bucket was still full did slow traces get a token.
      expect(kept.slow).toBeLessThanOrEqual(8);
      expect(kept.slowAfterBurst).toBe(0);
    });

    it('leaves room for errors: slow traces stop at half the bucket, very slow at a quarter', () => {
      const { decider } = setup({ slow: { ...SLOW, ceiling: 1000 }, budget: 20, min_samples: 1 });
      for (let i = 0; i < 200; i++) decider.decide(trace({ route: '/warm', durationMs: 100 }));
      let slow = 0;
      for (let i = 0; i < 100; i++)
        if (decider.decide(trace({ route: '/warm', durationMs: 150 })).keep) slow++;
      expect(slow).toBe(10);
      let verySlow = 0;
      for (let i = 0; i < 100; i++)
        if (decider.decide(trace({ route: '/warm', durationMs: 1500 })).keep) verySlow++;
      expect(verySlow).toBe(5);
      let errors = 0;
      for (let i = 0; i < 100; i++) if (decider.decide(trace({ error: true })).keep) errors++;
      expect(errors).toBe(5);
    });
  });

  describe('shouldTellCaller', () => {
    it.each([
      [{ status: 503, elapsedMs: 1 }, 'error'],
      [{ status: 200, elapsedMs: 2500 }, 'slow'],
      [{ status: 200, elapsedMs: 5, route: '/checkout', method: 'POST' }, 'rule:checkout'],
      [{ status: 200, elapsedMs: 5 }, undefined],
      [{ status: 200, elapsedMs: 2500, route: '/export' }, undefined],
    ])('%o → %s', (summary, expected) => {
      const { decider } = setup({
        slow: SLOW,
        rules: [
          { name: 'checkout', when: { route: '/checkout*', method: 'POST' }, keep: true },
          { name: 'export', when: { route: '/export' }, keep: false },
        ],
      });
      expect(decider.shouldTellCaller({ route: '/items/:id', method: 'GET', ...summary })).toBe(
        expected,
      );
    });

    it('spends the budget it promises', () => {
      const { decider } = setup({ budget: 1 });
      expect(decider.shouldTellCaller({ status: 500, elapsedMs: 1 })).toBe('error');
      expect(decider.shouldTellCaller({ status: 500, elapsedMs: 1 })).toBeUndefined();
    });
  });

  it('prints its configuration', () => {
    const { decider } = setup({
      slow: SLOW,
      budget: 50,
      rules: [{ name: 'a', when: {}, keep: true }],
    });
    expect(decider.toString()).toBe(
      'OutlierDecider(errors=true, slow=p99/60000ms[50ms..2000ms], rules=[a], budget=50/s)',
    );
    expect(setup().decider.toString()).toBe(
      'OutlierDecider(errors=true, slow=off, rules=[], budget=50/s)',
    );
  });
});
