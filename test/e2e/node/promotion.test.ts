import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { type AppHandle, spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

/** Bytes V8 promoted to the old space in the scavenges logged by `--trace-gc-nvp` in `log`. */
function promotedBytes(log: string): number {
  let total = 0;
  for (const line of log.split('\n')) {
    if (!/\bgc=s\b/.test(line)) continue;
    const promoted = /\bpromoted=(\d+)/.exec(line);
    if (promoted) total += Number(promoted[1]);
  }
  return total;
}

async function load(app: AppHandle, requests: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next++ < requests) await (await app.fetch('/')).text();
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

describe('request objects and young-generation GCs', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => stopAllApps());
  afterAll(() => receiver.close());

  // A request's spans and contexts die young when nothing holds them after the response.
  // Code V8 has not optimized yet (the first seconds of load; `--no-opt` keeps it so for the
  // whole test) once kept every Express request's objects alive across scavenges: each one
  // was promoted to the old space, about 75 MB of RSS that stayed.
  it('lets an Express request’s objects die in the young generation, before V8 optimizes', async () => {
    // Baseline 0: no kept trace waits in the export queue (those are meant to survive).
    const { env } = await strataEnv(receiver, {
      STRATA_CONFIG: writeConfig('sampling:\n  baseline: 0\n'),
    });
    const app = await spawnApp({
      script: appPath('express-hello.cjs'),
      nodeArgs: ['--no-opt', '--trace-gc-nvp', ...REQUIRE_STRATA],
      env,
    });
    await load(app, 300);
    const before = app.stdout().length;
    const requests = 3000;
    await load(app, requests);
    const perRequest = promotedBytes(app.stdout().slice(before)) / requests;
    // About 20 B per request here; with requests kept alive, several KB.
    expect(perRequest).toBeLessThan(1000);
  });
});
