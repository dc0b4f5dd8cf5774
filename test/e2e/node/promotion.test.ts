import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { fetchConcurrently, REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

/** Scavenges logged by `--trace-gc-nvp` in `log`, and the bytes they promoted to the old space. */
function scavenges(log: string): { count: number; promoted: number } {
  let count = 0;
  let promoted = 0;
  for (const line of log.split('\n')) {
    if (!/\bgc=s\b/.test(line)) continue;
    count++;
    const bytes = /\bpromoted=(\d+)/.exec(line);
    if (bytes) promoted += Number(bytes[1]);
  }
  return { count, promoted };
}

describe('request objects and young-generation GCs', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => stopAllApps());
  afterAll(() => receiver.close());

  // A request's spans and contexts die young when nothing holds them after the response.
  // Until TurboFan compiled the Express patch (the first seconds of load; `--no-opt` turns
  // TurboFan off for the whole test), it once kept every request's objects alive across
  // scavenges: each one was promoted to the old space, about 75 MB of RSS that stayed.
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
    await fetchConcurrently(app, '/', 300);
    const before = app.stdout().length;
    const requests = 3000;
    await fetchConcurrently(app, '/', requests);
    const { count, promoted } = scavenges(app.stdout().slice(before));
    // The load is long enough to need young-generation GCs: the figure below is not vacuous.
    expect(count).toBeGreaterThan(2);
    // About 20 B per request here; with requests kept alive, several KB.
    expect(promoted / requests).toBeLessThan(1000);
  });
});
