import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { type AppHandle, spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { fetchConcurrently, REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

const MiB = 2 ** 20;

async function churn(app: AppHandle, requests: number): Promise<number> {
  await fetchConcurrently(app, '/churn', requests);
  return ((await (await app.fetch('/heap')).json()) as { newSpace: number }).newSpace;
}

describe('runtime.young_generation_limit', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => stopAllApps());
  afterAll(() => receiver.close());

  async function start(yaml: string, nodeArgs: string[] = []) {
    const { env } = await strataEnv(receiver, { STRATA_CONFIG: writeConfig(yaml) });
    return spawnApp({
      script: appPath('express-hello.cjs'),
      nodeArgs: [...nodeArgs, ...REQUIRE_STRATA],
      env,
    });
  }

  it('stops the young generation at 16 MB by default, where V8 alone grows it further', async () => {
    const capped = await start('sampling:\n  baseline: 0.1\n');
    const cappedSize = await churn(capped, 1500);
    // Strata sees the size after a scavenge, from a GC observer: when a busy tick runs several
    // scavenges first (a loaded machine), V8 can take one more growth step past the limit.
    expect(cappedSize).toBeLessThanOrEqual(32 * MiB);
    const free = await start('runtime:\n  young_generation_limit: 0\n');
    expect(await churn(free, 1500)).toBeGreaterThanOrEqual(4 * cappedSize);
  });

  it('leaves the young generation alone when node was started with --max-semi-space-size', async () => {
    const app = await start('runtime:\n  young_generation_limit: 4MiB\n', [
      '--max-semi-space-size=32',
    ]);
    expect(await churn(app, 1500)).toBeGreaterThan(16 * MiB);
  });
});
