import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { freePort } from '../../support/free-port.js';
import type { OtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { type AppHandle, spawnApp } from '../../support/spawn-app.js';

/** `--require @strata/node/register`, as users run it. */
export const REQUIRE_STRATA = ['--require', '@strata/node/register'];
/** `--import @strata/node/register`, for ES module apps. */
export const IMPORT_STRATA = ['--import', '@strata/node/register'];

/** Write a strata.yaml in a fresh temporary folder and return its path. */
export function writeConfig(yaml: string, name = 'strata.yaml'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'strata-e2e-'));
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/**
 * Environment for an app under Strata that exports to `receiver`, keeps every
 * trace (baseline 1) unless told otherwise, and serves metrics on a free port.
 */
export async function strataEnv(
  receiver: OtlpReceiver,
  extra: Record<string, string | undefined> = {},
): Promise<{ env: Record<string, string | undefined>; metricsPort: number }> {
  const metricsPort = await freePort();
  return {
    metricsPort,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      ...extra,
    },
  };
}

/** A strata.yaml that keeps every trace and flushes quickly, for tests that count spans. */
export const KEEP_ALL_YAML = `
sampling:
  baseline: 1
  buffer:
    grace: 50ms
exporters:
  queue:
    delay: 100ms
`;

/** GET `pathname` `requests` times over `workers` keep-alive clients, reading every body. */
export async function fetchConcurrently(
  app: AppHandle,
  pathname: string,
  requests: number,
  workers = 16,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next++ < requests) await (await app.fetch(pathname)).text();
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

/**
 * Run a support app that does its work, prints one JSON line last and exits: checks that it
 * exited 0 and returns that line, parsed.
 */
export async function runForJson<T>(
  name: string,
  nodeArgs: string[],
  env: Record<string, string | undefined>,
): Promise<T> {
  const app = await spawnApp({ script: appPath(name), nodeArgs, env, waitReady: false });
  expect(await app.exited).toEqual({ code: 0, signal: null });
  return JSON.parse(app.stdout().trim().split('\n').at(-1) ?? '{}') as T;
}
