import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { waitFor } from '../../support/wait-for.js';
import { KEEP_ALL_YAML, REQUIRE_STRATA, strataEnv, writeConfig } from './helpers.js';

// load-bundle.cjs writes the cache 3 s after start-up.
const WRITTEN_WITHIN_MS = 10_000;
const AFTER_WRITE_MS = 4_500;

const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the V8 code cache of the register bundle', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await stopAllApps();
    receiver.reset();
  });
  afterAll(() => receiver.close());

  async function runApp(cacheDir: string, extra: Record<string, string> = {}) {
    const { env } = await strataEnv(receiver, {
      // A limit reached at once: the young-generation limit changes a V8 flag before the cache is
      // written, and V8 stamps caches with a hash of its flags.
      STRATA_CONFIG: writeConfig(`${KEEP_ALL_YAML}runtime:\n  young_generation_limit: 1MiB\n`),
      NODE_COMPILE_CACHE: cacheDir,
      ...extra,
    });
    const app = await spawnApp({
      script: appPath('express-hello.cjs'),
      nodeArgs: REQUIRE_STRATA,
      env,
    });
    expect((await app.fetch('/users/1')).status).toBe(200);
    await receiver.waitForSpans((s) => s.kind === 2);
    receiver.reset();
    return app;
  }

  it('is written after start-up, then used as is by the next start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'strata-cache-'));
    const first = await runApp(dir);
    const [file] = await waitFor(() => cacheFiles(dir).length === 1 && cacheFiles(dir), {
      timeoutMs: WRITTEN_WITHIN_MS,
    });
    expect(file).toMatch(/^strata-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+\.v8cache$/);
    await first.stop();
    const written = statSync(path.join(dir, file)).mtimeMs;

    const second = await runApp(dir);
    await sleep(AFTER_WRITE_MS);
    // V8 accepted it: a rejected cache would have been written again.
    expect(statSync(path.join(dir, file)).mtimeMs).toBe(written);
    expect(second.stderr()).not.toMatch(/strata/i);
  });

  it('a corrupt cache is replaced, and Strata starts as usual', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'strata-cache-'));
    const first = await runApp(dir);
    const [file] = await waitFor(() => cacheFiles(dir).length === 1 && cacheFiles(dir), {
      timeoutMs: WRITTEN_WITHIN_MS,
    });
    await first.stop();
    writeFileSync(path.join(dir, file), 'not a V8 code cache');

    const app = await runApp(dir);
    await waitFor(() => readFileSync(path.join(dir, file)).length > 1000, {
      timeoutMs: WRITTEN_WITHIN_MS,
    });
    expect(app.stderr()).not.toMatch(/strata/i);
  });

  it('is not written with NODE_DISABLE_COMPILE_CACHE=1, nor into a directory others can write', async () => {
    const disabled = mkdtempSync(path.join(tmpdir(), 'strata-cache-'));
    const shared = mkdtempSync(path.join(tmpdir(), 'strata-cache-'));
    chmodSync(shared, 0o777);
    await runApp(disabled, { NODE_DISABLE_COMPILE_CACHE: '1' });
    await runApp(shared);
    await sleep(AFTER_WRITE_MS);
    expect(cacheFiles(disabled)).toEqual([]);
    expect(cacheFiles(shared)).toEqual([]);
  });
});
