import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { appPath } from '../../support/paths.js';
import { freePort, spawnApp, stopAllApps } from '../../support/spawn-app.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'strata-spawn-app-'));
function script(name: string, source: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, source);
  return file;
}

afterEach(() => stopAllApps());
afterAll(() => stopAllApps());

describe('spawnApp', () => {
  describe('express-hello', () => {
    for (const name of ['express-hello.cjs', 'express-hello.mjs']) {
      it(`${name} answers every route`, async () => {
        const app = await spawnApp({ script: appPath(name) });
        expect(app.stdout()).toContain(`listening on ${app.port}`);
        expect(app.readyAfterMs).toBeGreaterThan(0);
        expect(await (await app.fetch('/')).text()).toBe('hello');
        expect(await (await app.fetch('/users/42')).json()).toEqual({ id: '42', name: 'user-42' });
        expect((await app.fetch('/fail')).status).toBe(500);
        expect(await (await app.fetch('/healthz')).text()).toBe('ok');
        const t0 = performance.now();
        expect(await (await app.fetch('/slow?ms=150')).text()).toBe('slept 150 ms');
        expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
      });
    }

    it('exits by the signal on SIGTERM and SIGINT (no handler of its own)', async () => {
      const a = await spawnApp({ script: appPath('express-hello.cjs') });
      const b = await spawnApp({ script: appPath('express-hello.cjs') });
      expect(a.port).not.toBe(b.port);
      expect(await a.kill('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
      expect(await b.kill('SIGINT')).toEqual({ code: null, signal: 'SIGINT' });
    });

    it('waits on readyUrl when given one', async () => {
      const app = await spawnApp({ script: appPath('express-hello.cjs'), readyUrl: '/healthz' });
      expect((await app.fetch('/healthz')).status).toBe(200);
    });
  });

  describe('express-own-sigterm', () => {
    it('handles SIGTERM itself and exits 0', async () => {
      const app = await spawnApp({ script: appPath('express-own-sigterm.cjs') });
      expect(await app.kill('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(app.stdout()).toContain('app handled SIGTERM');
    });
  });

  describe('environment', () => {
    it('runs Node 24 with PORT, nodeArgs and env, without the runner OTEL_*/NODE_OPTIONS', async () => {
      Object.assign(process.env, { OTEL_SERVICE_NAME: 'leaked-from-runner' });
      try {
        const preload = script('preload.cjs', "globalThis.preloaded = 'yes';\n");
        const app = await spawnApp({
          script: script(
            'env.cjs',
            `console.log(JSON.stringify({ version: process.version, port: process.env.PORT,
               extra: process.env.EXTRA, otel: process.env.OTEL_SERVICE_NAME ?? null,
               nodeOptions: process.env.NODE_OPTIONS ?? null, preloaded: globalThis.preloaded,
               args: process.argv.slice(2) }));\n`,
          ),
          nodeArgs: ['--require', preload],
          args: ['one', 'two'],
          env: { EXTRA: 'x' },
          readyPattern: /\}/,
        });
        const seen = JSON.parse(app.stdout());
        expect(seen).toEqual({
          version: expect.stringMatching(/^v24\./),
          port: String(app.port),
          extra: 'x',
          otel: null,
          nodeOptions: null,
          preloaded: 'yes',
          args: ['one', 'two'],
        });
        expect(await app.exited).toEqual({ code: 0, signal: null });
      } finally {
        Reflect.deleteProperty(process.env, 'OTEL_SERVICE_NAME');
      }
    });
  });

  describe('failures', () => {
    it('rejects with the stderr of an app that dies before it is ready', async () => {
      const crash = script(
        'crash.cjs',
        "console.error('strata: bad config at line 3');\nprocess.exit(3);\n",
      );
      await expect(spawnApp({ script: crash })).rejects.toThrow(
        /exited \{"code":3,"signal":null\}[\s\S]*strata: bad config at line 3/,
      );
    });

    it('rejects after readyTimeoutMs and kills the app', async () => {
      const silent = script('silent.cjs', 'setInterval(() => {}, 1000);\n');
      const t0 = performance.now();
      await expect(spawnApp({ script: silent, readyTimeoutMs: 300 })).rejects.toThrow(
        /timed out after 300 ms/,
      );
      expect(performance.now() - t0).toBeLessThan(3000);
    });

    it('waitForOutput rejects when the app exits without printing the pattern', async () => {
      const app = await spawnApp({
        script: script('quick.cjs', "console.log('bye');\n"),
        waitReady: false,
      });
      await expect(app.waitForOutput(/never/)).rejects.toThrow(
        /no \/never\/ in the output[\s\S]*bye/,
      );
    });

    it('stop() escalates to SIGKILL when SIGTERM is ignored', async () => {
      const stubborn = script(
        'stubborn.cjs',
        "process.on('SIGTERM', () => console.log('ignoring SIGTERM'));\nconsole.log('listening on 0');\nsetInterval(() => {}, 1000);\n",
      );
      const app = await spawnApp({ script: stubborn });
      expect(await app.stop(300)).toEqual({ code: null, signal: 'SIGKILL' });
      expect(app.stdout()).toContain('ignoring SIGTERM');
    });
  });

  describe('stopAllApps', () => {
    it('kills every live app', async () => {
      const apps = await Promise.all(
        [1, 2].map(() => spawnApp({ script: appPath('express-hello.cjs') })),
      );
      await stopAllApps();
      for (const app of apps) expect((await app.exited).signal).toBe('SIGKILL');
      await expect(apps[0].fetch('/')).rejects.toThrow();
    });
  });
});

describe('freePort', () => {
  it('hands out distinct ports that can be bound', async () => {
    const ports = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
    expect(new Set(ports).size).toBe(5);
    for (const port of ports) expect(port).toBeGreaterThan(0);
  });
});
