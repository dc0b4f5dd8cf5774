import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { type AppHandle, spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

const MiB = 2 ** 20;
const CHURN_MS = 7500;
// Strata grows the young generation a step after two costly 3 s windows in a row: two steps.
const COSTLY_CHURN_MS = 14_000;

/** Request `pathname` from `workers` loops for `ms`; then the new space's size. */
async function churnFor(app: AppHandle, pathname: string, ms: number, workers: number) {
  const until = Date.now() + ms;
  const worker = async () => {
    while (Date.now() < until) await (await app.fetch(pathname)).text();
  };
  await Promise.all(Array.from({ length: workers }, worker));
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

  it('holds the young generation at 16 MB while scavenges are cheap, where V8 alone grows it', async () => {
    // Small survivors: each scavenge copies about 1 MB, a few times a second.
    const light = '/churn?items=1000';
    const capped = await start('sampling:\n  baseline: 0.1\n');
    const cappedSize = await churnFor(capped, light, CHURN_MS, 4);
    // Strata sees the size after a scavenge, from a GC observer: when a busy tick runs several
    // scavenges first (a loaded machine), V8 can take one more growth step past the limit.
    expect(cappedSize).toBeLessThanOrEqual(32 * MiB);
    const free = await start('runtime:\n  young_generation_limit: 0\n');
    expect(await churnFor(free, light, CHURN_MS, 4)).toBeGreaterThanOrEqual(4 * cappedSize);
  });

  it('lets it grow past the limit when scavenges take over 6% of the time, 3 ms each', async () => {
    // About 12 MB of young objects alive at every scavenge: each one copies them again.
    const app = await start('sampling:\n  baseline: 0.1\n');
    // Two steps past the limit: more than the one step a busy tick can take before Strata looks.
    expect(await churnFor(app, '/churn', COSTLY_CHURN_MS, 16)).toBeGreaterThanOrEqual(64 * MiB);
  });

  it('leaves the young generation alone when node was started with --max-semi-space-size', async () => {
    const app = await start('runtime:\n  young_generation_limit: 4MiB\n', [
      '--max-semi-space-size=32',
    ]);
    expect(await churnFor(app, '/churn', 3000, 16)).toBeGreaterThan(16 * MiB);
  });
});
