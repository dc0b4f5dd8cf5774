import { describe, expect, it } from 'vitest';
import { KEEP_ALL_YAML } from '../node/helpers.js';
import { isRedis, requestInTurn, tracesOf, useShop } from './shop.js';

const CLIENT = 3;

// ioredis's spans as the stock instrumentation makes them, command after command: any change to
// how Strata loads or bundles it (scripts/bundle.mjs) must keep the names, db.query.text (only
// the arguments the conventions allow) and the server attributes.
describe('Redis command spans', () => {
  const running = useShop(KEEP_ALL_YAML);

  it('names each command and shows only the arguments the conventions allow', async () => {
    expect(await requestInTurn(running.shop.app, ['/orders/41', '/orders/42'])).toEqual([200, 200]);
    const traces = await tracesOf(running.receiver, '/orders/:id', 2);
    for (const [trace, id] of traces.map((t, i) => [t, [41, 42][i]] as const)) {
      const commands = trace.spans
        .filter(isRedis)
        .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
      expect(commands.map((s) => [s.name, s.kind])).toEqual([
        ['set', CLIENT],
        ['get', CLIENT],
      ]);
      // SET shows its key, never the value; GET shows all it has.
      expect(commands.map((s) => s.attributes['db.query.text'])).toEqual([
        `set strata-e2e:order:${id} [3 other arguments]`,
        `get strata-e2e:order:${id}`,
      ]);
      for (const span of commands) {
        expect(span.attributes).toMatchObject({
          'db.system.name': 'redis',
          'db.operation.name': span.name,
          'server.address': '127.0.0.1',
          'server.port': 6379,
        });
        expect(span.status.code ?? 0).toBe(0);
      }
    }
  });
});
