import { afterAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { KEEP_ALL_YAML, REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

// The bundle's OTLP protobuf writer copies ASCII in one pass and falls back to UTF-8 encoding
// for other text, and starts from a guess of each trace's size that long values exceed
// (scripts/bundle.mjs): names and values must arrive exactly as the application wrote them.
describe('exporting non-ASCII and long span text', () => {
  afterAll(() => stopAllApps());

  it('delivers names and attributes exactly, over protobuf', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const { env } = await strataEnv(receiver, { STRATA_CONFIG: writeConfig(KEEP_ALL_YAML) });
      const app = await spawnApp({
        script: appPath('unicode-spans.cjs'),
        nodeArgs: REQUIRE_STRATA,
        env,
        waitReady: false,
      });
      expect(await app.exited).toEqual({ code: 0, signal: null });
      const spans = await receiver.waitForSpans((s) => s.scope.name === 'strata-e2e-unicode', {
        count: 13,
        timeoutMs: 5_000,
      });
      const root = spans.find((s) => s.parentSpanId === '');
      expect(root?.name).toBe('racine café');
      expect(root?.attributes['text.emoji']).toBe('🎉 fin');
      const children = spans.filter((s) => s.parentSpanId !== '');
      expect(children.map((s) => s.name).sort()).toEqual(
        Array.from({ length: 12 }, (_, i) => `enfant ${i} ✓`).sort(),
      );
      for (const child of children) {
        const i = Number(child.attributes.index);
        expect(child.attributes).toMatchObject({
          'text.unicode': `Grüße ${i}, 日本語, 🎉`,
          'text.long': `${'x'.repeat(3000)}${i}`,
          'text.ascii': 'plain',
        });
        expect(child.parentSpanId).toBe(root?.spanId);
        expect(child.traceId).toBe(root?.traceId);
      }
    } finally {
      await receiver.close();
    }
  });
});
