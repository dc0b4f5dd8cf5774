import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { scrape } from '../../support/prometheus-text.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { KEEP_ALL_YAML, REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

describe('@strata/node/register', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await stopAllApps();
    receiver.reset();
  });
  afterAll(() => receiver.close());

  describe('without any config', () => {
    it('traces requests, exports OTLP protobuf and serves /metrics', async () => {
      const { env, metricsPort } = await strataEnv(receiver);
      const app = await spawnApp({
        script: appPath('express-hello.cjs'),
        nodeArgs: REQUIRE_STRATA,
        env,
      });
      // Failing requests are always kept as outliers, whatever the baseline draws.
      for (let i = 0; i < 3; i++) expect((await app.fetch('/fail')).status).toBe(500);
      expect(await (await app.fetch('/users/7')).json()).toEqual({ id: '7', name: 'user-7' });

      const spans = await receiver.waitForSpans(
        (s) => s.kind === 2 && s.attributes['http.response.status_code'] === 500,
        {
          count: 3,
          timeoutMs: 10_000,
        },
      );
      const root = spans[0];
      expect(root.name).toBe('GET /fail');
      expect(root.attributes['http.route']).toBe('/fail');
      expect(root.resource['service.name']).toBeTypeOf('string');
      expect(root.resource['telemetry.distro.name']).toBe('strata');
      expect(root.resource['telemetry.sdk.version']).toMatch(/^\d+\.\d+\.\d+/);
      expect(receiver.requests.some((r) => r.contentType === 'application/x-protobuf')).toBe(true);

      const metrics = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(
        metrics.sum('http_server_request_duration_seconds_count', { http_route: '/users/:id' }),
      ).toBe(1);
      expect(
        metrics.sum('http_server_request_duration_seconds_count', { http_route: '/fail' }),
      ).toBe(3);
      expect(app.stderr()).not.toMatch(/strata/);
    });
  });

  describe('with a strata.yaml', () => {
    it('takes the service name, protocol and sampling from the file', async () => {
      const file = writeConfig(`
service:
  name: from-file
  attributes:
    deployment.environment.name: e2e
exporters:
  otlp:
    protocol: http/json
  queue:
    delay: 100ms
sampling:
  baseline: 1
  buffer:
    grace: 50ms
`);
      const { env } = await strataEnv(receiver, { STRATA_CONFIG: file });
      const app = await spawnApp({
        script: appPath('express-hello.cjs'),
        nodeArgs: REQUIRE_STRATA,
        env,
      });
      await app.fetch('/users/1');
      const [root] = await receiver.waitForSpans((s) => s.name === 'GET /users/:id');
      expect(root.resource['service.name']).toBe('from-file');
      expect(root.resource['deployment.environment.name']).toBe('e2e');
      expect(receiver.requests.every((r) => r.contentType.startsWith('application/json'))).toBe(
        true,
      );
    });

    it('lets OTEL_* variables fill what the file does not set', async () => {
      const file = writeConfig(KEEP_ALL_YAML);
      const { env } = await strataEnv(receiver, {
        STRATA_CONFIG: file,
        OTEL_SERVICE_NAME: 'from-env',
        OTEL_RESOURCE_ATTRIBUTES: 'team=payments',
      });
      const app = await spawnApp({
        script: appPath('express-hello.cjs'),
        nodeArgs: REQUIRE_STRATA,
        env,
      });
      await app.fetch('/');
      const [root] = await receiver.waitForSpans((s) => s.name === 'GET /');
      expect(root.resource['service.name']).toBe('from-env');
      expect(root.resource.team).toBe('payments');
    });
  });

  describe('with a bad strata.yaml', () => {
    const BAD = 'sampling:\n  baseline: 1.5\n';

    it('prints one clear message and the application runs without telemetry', async () => {
      const file = writeConfig(BAD);
      const { env } = await strataEnv(receiver, { STRATA_CONFIG: file });
      const app = await spawnApp({
        script: appPath('express-hello.cjs'),
        nodeArgs: REQUIRE_STRATA,
        env,
      });
      expect(await (await app.fetch('/')).text()).toBe('hello');
      expect(app.stderr()).toContain(`${file}:2:13`);
      expect(app.stderr()).toContain('sampling.baseline');
      expect(app.stderr()).toMatch(/runs without telemetry/);
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.requests).toHaveLength(0);
    });

    it('exits non-zero with the same message under strict: true', async () => {
      const file = writeConfig(`strict: true\n${BAD}`);
      const { env } = await strataEnv(receiver, { STRATA_CONFIG: file });
      const app = await spawnApp({
        script: appPath('express-hello.cjs'),
        nodeArgs: REQUIRE_STRATA,
        env,
        waitReady: false,
      });
      const exit = await app.exited;
      expect(exit.code).not.toBe(0);
      expect(app.stderr()).toContain(`${file}:3:13`);
      expect(app.stdout()).not.toMatch(/listening/);
    });
  });

  describe('worker threads', () => {
    it('start Strata once per process: a worker inherits the flag but not a second pipeline', async () => {
      const { env } = await strataEnv(receiver, { STRATA_CONFIG: writeConfig(KEEP_ALL_YAML) });
      const app = await spawnApp({
        script: appPath('express-worker.cjs'),
        nodeArgs: REQUIRE_STRATA,
        env,
      });
      expect(await (await app.fetch('/work')).text()).toBe('42');
      await receiver.waitForSpans((s) => s.name === 'GET /work');
      // A second Strata in the worker would try the same metrics port.
      expect(app.stderr()).not.toMatch(/could not start|EADDRINUSE/);
    });
  });

  describe('OTEL_SDK_DISABLED=true', () => {
    it('turns everything off', async () => {
      const { env, metricsPort } = await strataEnv(receiver, { OTEL_SDK_DISABLED: 'true' });
      const app = await spawnApp({
        script: appPath('express-hello.cjs'),
        nodeArgs: REQUIRE_STRATA,
        env,
      });
      for (let i = 0; i < 3; i++) await app.fetch('/fail');
      await new Promise((r) => setTimeout(r, 500));
      await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
      await app.stop();
      expect(receiver.requests).toHaveLength(0);
    });
  });
});
