import { afterAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../../support/otlp-receiver.js';
import { stopAllApps } from '../../support/spawn-app.js';
import { REQUIRE_STRATA, runForJson, strataEnv } from './helpers.js';

type Seen = Record<
  string,
  {
    keys: string[];
    attributes: Record<string, unknown>;
    sameObject: boolean;
    afterSet: string | null;
    methodAfterSet: string | null;
    dropped: number;
  }
>;

// Strata's tracer and span (src/trace: one cleaning pass when the sampler adds nothing, a
// handed-over object of scalars kept as it is, the count the bundle's cleanAttributes reports
// taken instead of counting again): what a span holds, and what its 128-attribute limit lets in
// afterwards, must be what the published SDK gives for the same calls.
describe('span attributes under Strata', () => {
  afterAll(() => stopAllApps());

  it('are what the published SDK keeps, for every shape of input', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const { env } = await strataEnv(receiver);
      const strata = await runForJson<Seen>('span-attributes.cjs', REQUIRE_STRATA, env);
      const stock = await runForJson<Seen>('span-attributes.cjs', [], { STRATA_E2E_STOCK: '1' });
      expect(Object.keys(strata)).toHaveLength(19);
      // Handed-over attributes (Strata's own server and client spans) are held as they are
      // when every value is a scalar, and copied otherwise; the span holds the same either way.
      const sameObject = Object.fromEntries(
        Object.entries(strata).map(([name, seen]) => [name, seen.sameObject]),
      );
      expect(sameObject).toMatchObject({
        ownedScalars: true,
        ownedUndefined: false,
        ownedArray: false,
        ownedEmptyKey: false,
        scalars: false,
      });
      const held = (seen: Seen) =>
        Object.fromEntries(
          Object.entries(seen).map(([name, { sameObject: _, ...rest }]) => [name, rest]),
        );
      expect(held(strata)).toEqual(held(stock));
      expect(Object.values(stock).every((seen) => !seen.sameObject)).toBe(true);

      // And what that is, for the cases a fast path could get wrong.
      expect(strata.scalars.attributes).toEqual({
        'http.request.method': 'GET',
        'server.port': 8080,
        ok: true,
        ratio: 0.25,
        nan: null, // NaN is kept; JSON prints it as null
      });
      expect(strata.undefinedValue.keys).toEqual(['kept']);
      expect(strata.ownedUndefined.keys).toEqual(['kept']);
      expect(strata.ownedEmptyKey.keys).toEqual(['kept']);
      expect(strata.ownedScalars).toMatchObject({ afterSet: 'yes', methodAfterSet: 'POST' });
      expect(strata.emptyKey.keys).toEqual(['kept']);
      expect(strata.inherited.keys).toEqual(['own']);
      expect(strata.getter.attributes).toEqual({ before: 1, computed: 'from getter' });
      expect(strata.integerKeys.keys).toEqual(['1', '2', 'b', 'a']);
      expect(strata.arrayAndMap.attributes.list).toEqual(['a', 'b']);
      expect(strata.mutable.attributes['url.path']).toBe('/orders/7');
      expect(strata.invalid.keys).toEqual(['kept']);
      // 128 attributes fill the default limit: both new keys are dropped; at 127 the first
      // fits and the second is dropped; an existing key is still set.
      expect(strata.many).toMatchObject({ afterSet: null, methodAfterSet: null, dropped: 2 });
      expect(strata.nearlyMany).toMatchObject({
        afterSet: 'yes',
        methodAfterSet: null,
        dropped: 1,
      });
      expect(strata.inheritedNearlyMany).toMatchObject({ afterSet: 'yes', dropped: 1 });
      expect(strata.scalars).toMatchObject({ afterSet: 'yes', methodAfterSet: 'POST', dropped: 0 });
    } finally {
      await receiver.close();
    }
  });
});
