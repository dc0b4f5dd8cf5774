// Turn per-round records into the figures of the report, each paired with `none` from the same
// round, and check them against the targets of issues #3 and #8.
import { HELLO_APPS } from './apps.js';
import { summarize } from './stats.js';
import { VARIANTS } from './variants.js';

const MB = 1024 * 1024;

/** Targets from the issues; checked and printed, never enforced (no timed assertions). */
export const TARGETS = {
  addedVsStock: 'hello: added µs/request ≤ 1/4 of stock',
  shopRatio: 'shop: throughput ratio ≥ 0.9',
  startup: 'start-up added ≤ 150 ms',
  rss: 'RSS added after load ≤ 50 MB',
  p99: 'p99 added at the fixed rate ≤ 1 ms',
};

function paired(rounds, baseline, fn) {
  return summarize(rounds.map((r, i) => (baseline?.[i] && r ? fn(r, baseline[i]) : Number.NaN)));
}

/** Figures for one app and variant; `none` and `stock` are the same app's records by round. */
export function figures(rounds, none) {
  const ok = rounds.filter(Boolean);
  return {
    rounds: ok.length,
    rps: summarize(ok.map((r) => r.saturation.rps)),
    ratio: paired(rounds, none, (r, n) => r.saturation.rps / n.saturation.rps),
    addedUs: paired(rounds, none, (r, n) => 1e6 / r.saturation.rps - 1e6 / n.saturation.rps),
    cpuUs: summarize(ok.map((r) => r.cpuUsPerRequest)),
    // CPU time is the figure least disturbed by other load on the machine.
    cpuAddedUs: paired(rounds, none, (r, n) => r.cpuUsPerRequest - n.cpuUsPerRequest),
    // Absent (NaN) in results written before the figure existed.
    cpuFixedUs: summarize(ok.map((r) => r.cpuUsPerRequestFixed ?? Number.NaN)),
    cpuFixedAddedUs: paired(
      rounds,
      none,
      (r, n) => (r.cpuUsPerRequestFixed ?? Number.NaN) - (n.cpuUsPerRequestFixed ?? Number.NaN),
    ),
    p50Ms: summarize(ok.map((r) => r.fixed.p50)),
    p99Ms: summarize(ok.map((r) => r.fixed.p99)),
    p99AddedMs: paired(rounds, none, (r, n) => r.fixed.p99 - n.fixed.p99),
    startupMs: summarize(ok.flatMap((r) => r.startupMs)),
    startupColdMs: summarize(ok.flatMap((r) => r.startupColdMs ?? [])),
    rssIdleMB: summarize(ok.map((r) => r.rssIdleBytes / MB)),
    rssLoadMB: summarize(ok.map((r) => r.rssLoadBytes / MB)),
    coreOtherPct: summarize(ok.map((r) => r.serverCore.otherPct + r.serverCore.stealPct)),
    otlpKB: summarize(ok.map((r) => r.otlp.bytes / 1024)),
    loadErrors: ok.reduce((n, r) => n + r.saturation.errors + r.saturation.non2xx, 0),
    exitsOnSigterm: ok.length ? ok.every((r) => r.exitsOnSigterm) : null,
  };
}

const check = (value, limit, le = true) =>
  Number.isFinite(value) && Number.isFinite(limit) ? (le ? value <= limit : value >= limit) : null;

/** Pass (true), fail (false) or not applicable (null) for each target. */
export function targets(appId, variantId, fig, noneFig, stockFig) {
  if (!VARIANTS[variantId].targets) return {};
  return {
    addedVsStock: HELLO_APPS.has(appId)
      ? check(fig.addedUs.median, stockFig ? stockFig.addedUs.median / 4 : Number.NaN)
      : null,
    shopRatio: appId === 'shop' ? check(fig.ratio.median, 0.9, false) : null,
    startup: check(fig.startupMs.median - (noneFig?.startupMs.median ?? Number.NaN), 150),
    rss: check(fig.rssLoadMB.median - (noneFig?.rssLoadMB.median ?? Number.NaN), 50),
    p99: check(fig.p99AddedMs.median, 1),
  };
}

/** One row per app × variant that ran, with figures and target checks. */
export function aggregate(records, appIds, variantIds) {
  const rows = [];
  for (const appId of appIds) {
    const byVariant = (v) => records[appId]?.[v];
    const has = (v) => byVariant(v)?.some(Boolean);
    const noneFig = has('none') ? figures(byVariant('none'), byVariant('none')) : null;
    const stockFig = has('stock') ? figures(byVariant('stock'), byVariant('none')) : null;
    for (const variantId of variantIds) {
      if (!has(variantId)) continue;
      const fig = figures(byVariant(variantId), has('none') ? byVariant('none') : null);
      const startupAddedMs = fig.startupMs.median - (noneFig?.startupMs.median ?? Number.NaN);
      const startupColdAddedMs =
        fig.startupColdMs.median - (noneFig?.startupMs.median ?? Number.NaN);
      const rssAddedMB = fig.rssLoadMB.median - (noneFig?.rssLoadMB.median ?? Number.NaN);
      rows.push({
        app: appId,
        variant: variantId,
        ...fig,
        startupAddedMs,
        startupColdAddedMs,
        rssAddedMB,
        targets: targets(appId, variantId, fig, noneFig, stockFig),
      });
    }
  }
  return rows;
}
