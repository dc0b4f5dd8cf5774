import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

// A long export delay: spans only reach the receiver if the shutdown flushes them.
const SLOW_EXPORT_YAML = `
sampling:
  baseline: 1
exporters:
  queue:
    delay: 60s
`;

describe('signals', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await stopAllApps();
    receiver.reset();
  });
  afterAll(() => receiver.close());

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`flushes spans and ends by ${signal} when the app has no handler`, async () => {
      const { env } = await strataEnv(receiver, { STRATA_CONFIG: writeConfig(SLOW_EXPORT_YAML) });
      const app = await spawnApp({
        script: appPath('express-hello.cjs'),
        nodeArgs: REQUIRE_STRATA,
        env,
      });
      await app.fetch('/users/3');
      const started = Date.now();
      const exit = await app.kill(signal);
      expect(exit).toEqual({ code: null, signal });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(receiver.spans().some((s) => s.name === 'GET /users/:id')).toBe(true);
    });
  }

  it('lets an app that handles SIGTERM itself decide how to exit, and still flushes', async () => {
    const { env } = await strataEnv(receiver, { STRATA_CONFIG: writeConfig(SLOW_EXPORT_YAML) });
    const app = await spawnApp({
      script: appPath('express-own-sigterm.cjs'),
      nodeArgs: REQUIRE_STRATA,
      env,
    });
    await app.fetch('/');
    const exit = await app.kill('SIGTERM');
    expect(app.stdout()).toContain('app handled SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(receiver.spans().some((s) => s.name === 'GET /')).toBe(true);
  });

  it('ends by SIGTERM when a library uses signal-exit (not an application handler)', async () => {
    const { env } = await strataEnv(receiver, { STRATA_CONFIG: writeConfig(SLOW_EXPORT_YAML) });
    const app = await spawnApp({
      script: appPath('express-signal-exit.cjs'),
      nodeArgs: REQUIRE_STRATA,
      env,
    });
    await app.fetch('/');
    const started = Date.now();
    const exit = await app.kill('SIGTERM');
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(app.stdout()).toContain('signal-exit saw SIGTERM');
    expect(receiver.spans().some((s) => s.name === 'GET /')).toBe(true);
  });

  it('flushes within the deadline when the collector hangs, then exits', async () => {
    const hanging = await startOtlpReceiver({ hang: true });
    try {
      const { env } = await strataEnv(hanging, {
        STRATA_CONFIG: writeConfig(`${SLOW_EXPORT_YAML}shutdown:\n  timeout: 1s\n`),
      });
      const app = await spawnApp({
        script: appPath('express-hello.cjs'),
        nodeArgs: REQUIRE_STRATA,
        env,
      });
      await app.fetch('/');
      const started = Date.now();
      const exit = await app.kill('SIGTERM');
      expect(exit.signal).toBe('SIGTERM');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await hanging.close();
    }
  });

  describe('a script that finishes on its own', () => {
    for (const collector of ['refused', 'hanging'] as const) {
      it(`exits promptly when the collector is ${collector}`, async () => {
        const receiver = await startOtlpReceiver({ hang: collector === 'hanging' });
        const endpoint = receiver.endpoint;
        if (collector === 'refused') await receiver.close();
        try {
          const { env } = await strataEnv(receiver, {
            OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
            STRATA_CONFIG: writeConfig('shutdown:\n  timeout: 1s\n'),
          });
          const started = Date.now();
          const app = await spawnApp({
            script: appPath('short-script.cjs'),
            nodeArgs: REQUIRE_STRATA,
            env,
            waitReady: false,
          });
          const exit = await app.exited;
          expect(exit).toEqual({ code: 0, signal: null });
          expect(app.stdout()).toContain('script done');
          // The failed call is kept as an error outlier and its export fails or
          // hangs: the flush deadline (1 s) bounds the wait, nothing lingers.
          expect(Date.now() - started).toBeLessThan(collector === 'refused' ? 2_500 : 3_500);
        } finally {
          if (collector === 'hanging') await receiver.close();
        }
      });
    }
  });
});
