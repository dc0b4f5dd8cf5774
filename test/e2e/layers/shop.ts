import { afterAll, beforeAll } from 'vitest';
import type { ReceivedSpan } from '../../support/otlp/types.js';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { type AppHandle, spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { waitFor } from '../../support/wait-for.js';
import { REQUIRE_STRATA, strataEnv, writeConfig } from '../node/helpers.js';

const SERVER = 2;
const CLIENT = 3;
const LAYER_KEY = /^strata\.layer\.(.+)\.ms$/;
// Longer than the exporter's queue delay in the tests' strata.yaml (100 ms).
const QUIET_MS = 250;

/** The layers-shop app under Strata, the plain downstream service it calls, its /metrics URL. */
export interface Shop {
  app: AppHandle;
  downstream: AppHandle;
  metricsUrl: string;
}

/**
 * Start the uninstrumented downstream service (answers `/delay?ms=N` after N ms) and the shop
 * under `--require @strata/node/register` with `yaml`, and open its connections (`/warm`).
 */
export async function startShop(receiver: OtlpReceiver, yaml: string): Promise<Shop> {
  // Not instrumented: the caller's `http` layer is then only the wait for a real remote service.
  const downstream = await spawnApp({ script: appPath('layers-downstream.cjs') });
  const { env, metricsPort } = await strataEnv(receiver, {
    STRATA_CONFIG: writeConfig(yaml),
    DOWNSTREAM_URL: downstream.url,
  });
  const app = await spawnApp({ script: appPath('layers-shop.cjs'), nodeArgs: REQUIRE_STRATA, env });
  const warm = await app.fetch('/warm');
  if (warm.status !== 200) throw new Error(`/warm answered ${warm.status}: ${app.stderr()}`);
  return { app, downstream, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

/** A receiver and the shop under Strata, shared by the tests of one file. */
export interface RunningShop {
  receiver: OtlpReceiver;
  shop: Shop;
}

/**
 * Start a receiver and the shop (with `yaml`) before the file's tests and stop both after. The
 * fields are set once the `beforeAll` this registers has run, before any of the file's own.
 */
export function useShop(yaml: string): RunningShop {
  const running = {} as RunningShop;
  beforeAll(async () => {
    running.receiver = await startOtlpReceiver();
    running.shop = await startShop(running.receiver, yaml);
  });
  afterAll(async () => {
    await stopAllApps();
    await running.receiver.close();
  });
  return running;
}

/** `fetch` each path in turn (not at once: each request is measured alone) and return the statuses. */
export async function requestInTurn(app: AppHandle, paths: string[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const p of paths) {
    const response = await app.fetch(p);
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

/** One exported local trace: its root (the SERVER span) and every span of the trace. */
export interface ExportedTrace {
  root: ReceivedSpan;
  spans: ReceivedSpan[];
}

/** Wait until `count` roots on `route` have arrived, and return their traces (with late children). */
export async function tracesOf(
  receiver: OtlpReceiver,
  route: string,
  count: number,
): Promise<ExportedTrace[]> {
  const roots = await receiver.waitForSpans(
    (s) => s.kind === SERVER && s.parentSpanId === '' && s.attributes['http.route'] === route,
    { count, timeoutMs: 10_000 },
  );
  // Export batches may cut a local trace in two: wait until nothing new has come for a while.
  await waitFor(
    async () => {
      const before = receiver.spans().length;
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      return receiver.spans().length === before;
    },
    { timeoutMs: 10_000, intervalMs: 0 },
  );
  const all = receiver.spans();
  return roots.map((root) => ({ root, spans: all.filter((s) => s.traceId === root.traceId) }));
}

/** `strata.layer.<layer>.ms` of a root span, by layer. */
export function layersOf(root: ReceivedSpan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(root.attributes)) {
    const match = LAYER_KEY.exec(key);
    if (match) out[match[1]] = value as number;
  }
  return out;
}

/**
 * Sum of a root's layer times in integer nanoseconds. Each attribute is a whole number of ns
 * divided by 1e6, so rounding it back recovers that number exactly.
 */
export function layerSumNs(root: ReceivedSpan): number {
  return Object.values(layersOf(root)).reduce((sum, ms) => sum + Math.round(ms * 1e6), 0);
}

/** Durations (ms) of a trace's spans that match. */
export function durationsMs(trace: ExportedTrace, match: (s: ReceivedSpan) => boolean): number[] {
  return trace.spans.filter(match).map((s) => Number(s.durationNs) / 1e6);
}

/**
 * Time in PostgreSQL spans of a sequential trace: the outermost ones summed (`pg.connect` of a
 * new connection runs inside `pg-pool.connect`).
 */
export function dbTimeMs(trace: ExportedTrace): number {
  const isPg = (s: ReceivedSpan) => s.attributes['db.system.name'] === 'postgresql';
  const pgIds = new Set(trace.spans.filter(isPg).map((s) => s.spanId));
  return sum(durationsMs(trace, (s) => isPg(s) && !pgIds.has(s.parentSpanId)));
}

/** Position error allowed between a layer and its spans' exported durations: ns rounding only. */
export const SPAN_TOLERANCE_MS = 0.01;

/** PostgreSQL query spans (not the pool's connect spans). */
export const isPgQuery = (s: ReceivedSpan): boolean =>
  s.kind === CLIENT &&
  s.attributes['db.system.name'] === 'postgresql' &&
  s.name.startsWith('pg.query');
/** Outbound HTTP client spans (fetch). */
export const isHttpClient = (s: ReceivedSpan): boolean =>
  s.kind === CLIENT && s.attributes['http.request.method'] !== undefined;
/** Redis command spans. */
export const isRedis = (s: ReceivedSpan): boolean => s.attributes['db.system.name'] === 'redis';

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Sum of a list. */
export function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** What the layer counter on /metrics says for one route, next to what the exported roots say. */
export interface CounterCheck {
  /** Counter samples of the route: value (s) and labels. */
  samples: { labels: Record<string, string>; value: number }[];
  /** Counter summed over `layer_system`, by layer (s). */
  byLayer: Record<string, number>;
  /** The roots' `strata.layer.<layer>.ms` summed over requests, by layer (s). */
  spansByLayer: Record<string, number>;
  /** Counter summed over all layers (s). */
  total: number;
  /** The roots' durations summed (s). */
  rootTotal: number;
}

/** Sum `strata_request_layer_time_seconds_total` of `route` by layer, next to the same sums over `traces`. */
export function compareCounter(
  samples: { labels: Record<string, string>; value: number }[],
  traces: ExportedTrace[],
): CounterCheck {
  const byLayer: Record<string, number> = {};
  for (const { labels, value } of samples)
    byLayer[labels.layer] = (byLayer[labels.layer] ?? 0) + value;
  const spansByLayer: Record<string, number> = {};
  for (const { root } of traces) {
    for (const [layer, ms] of Object.entries(layersOf(root)))
      spansByLayer[layer] = (spansByLayer[layer] ?? 0) + ms / 1e3;
  }
  return {
    samples,
    byLayer,
    spansByLayer,
    total: sum(samples.map((s) => s.value)),
    rootTotal: sum(traces.map((t) => Number(t.root.durationNs) / 1e9)),
  };
}
