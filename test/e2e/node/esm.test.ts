import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { IMPORT_STRATA, KEEP_ALL_YAML, REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

describe('module systems', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await stopAllApps();
    receiver.reset();
  });
  afterAll(() => receiver.close());

  const cases = [
    {
      name: '--import with an ES module app',
      script: 'express-hello.mjs',
      nodeArgs: IMPORT_STRATA,
    },
    {
      name: '--require with a CommonJS app',
      script: 'express-hello.cjs',
      nodeArgs: REQUIRE_STRATA,
    },
    {
      name: '--require and --import together with an ES module app',
      script: 'express-hello.mjs',
      nodeArgs: [...REQUIRE_STRATA, ...IMPORT_STRATA],
    },
  ];
  for (const { name, script, nodeArgs } of cases) {
    it(`${name}: instruments express and http`, async () => {
      const { env } = await strataEnv(receiver, { STRATA_CONFIG: writeConfig(KEEP_ALL_YAML) });
      const app = await spawnApp({ script: appPath(script), nodeArgs, env });
      await app.fetch('/users/9');
      const spans = await receiver.waitForSpans(
        (s) => s.scope.name === '@opentelemetry/instrumentation-express',
      );
      const root = (await receiver.waitForSpans((s) => s.kind === 2))[0];
      expect(root.name).toBe('GET /users/:id');
      expect(spans.every((s) => s.traceId === root.traceId)).toBe(true);
      expect(spans.map((s) => s.attributes['express.type'])).toContain('request_handler');
    });
  }
});
