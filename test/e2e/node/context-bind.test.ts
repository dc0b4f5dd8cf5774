import { afterAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../../support/otlp-receiver.js';
import { stopAllApps } from '../../support/spawn-app.js';
import { REQUIRE_STRATA, runForJson, strataEnv } from './helpers.js';

// The bundle declares context.bind's wrappers with the target's parameters instead of
// redefining `length` on each (scripts/bundle.mjs): what a bound function shows and does must
// not change, at any arity.
describe('context.bind under Strata', () => {
  afterAll(() => stopAllApps());

  it('keeps length, this, arguments and the bound context at every arity', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const { env } = await strataEnv(receiver);
      const { results, after } = await runForJson<{
        results: (Record<string, unknown> & { length: number })[];
        after: string;
      }>('context-bind.cjs', REQUIRE_STRATA, env);
      expect(after).toBe('none');
      expect(results.map((r: { length: number }) => r.length)).toEqual([0, 1, 3, 6]);
      results.forEach((result: Record<string, unknown>, i: number) => {
        expect(result.descriptor).toEqual({
          value: result.length,
          writable: false,
          enumerable: false,
          configurable: true,
        });
        expect(result.seen).toEqual({
          self: `receiver ${i}`,
          args: [1, 'two', 3],
          value: 'inside',
        });
      });
    } finally {
      await receiver.close();
    }
  });
});
