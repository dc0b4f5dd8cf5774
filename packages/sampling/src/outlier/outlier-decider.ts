// The global `performance` is a lazy accessor on globalThis: every use calls a getter.
import { performance } from 'node:perf_hooks';
import type {
  KeepReason,
  OutlierOptions,
  ProvisionalSummary,
  TraceDecision,
  TraceSummary,
} from '../types';
import { type CompiledRule, compileRule, type RuleInput } from './outlier-rule';
import { createRouteKeys } from './route-key';
import { createRouteWindows } from './route-windows';
import { createTokenBucket } from './token-bucket';

/** The in-process outlier decision, with its per-route windows and budget. */
export interface OutlierDecider {
  /** Decide a finished local trace (and feed its duration to the route's window). */
  decide(summary: TraceSummary): TraceDecision;
  /**
   * At response time: should this service tell its caller it keeps the trace?
   * Returns the reason (and takes a budget token for it), else `undefined`.
   */
  shouldTellCaller(summary: ProvisionalSummary): KeepReason | undefined;
  /** Take budget for a keep decided before the trace ends (a mark); cross-service reasons always pass. */
  admit(reason: KeepReason): boolean;
  /** Current "slow" threshold of a route, ms (`undefined` when slow capture is off). */
  thresholdMs(
    method: string | undefined,
    route: string | undefined,
    name?: string,
  ): number | undefined;
  toString(): string;
}

/** Options with defaults: errors on, slow off, no rules, budget 50/s. */
export interface OutlierDeciderOptions extends Partial<OutlierOptions> {
  /** Clock in ms (monotonic); default `performance.now`. */
  now?: () => number;
}

// Budget priorities: errors and cross-service keeps may use every token; rules
// and very slow traces (≥ 2× the threshold, or over the ceiling) leave a
// quarter of the bucket; other slow traces leave half. Under a flood of
// errors, slow traces get nothing; under a flood of slow ones, the slowest win.
const RESERVE_HIGH = 0.25;
const RESERVE_LOW = 0.5;

/** Create the outlier decider (pure: plain data in, decision out). */
export function createOutlierDecider(options: OutlierDeciderOptions = {}): OutlierDecider {
  const now = options.now ?? (() => performance.now());
  const errors = options.errors ?? true;
  const slow = options.slow || undefined;
  const rules: CompiledRule[] = (options.rules ?? []).map(compileRule);
  const budget = options.budget ?? 50;
  const bucket = createTokenBucket(budget, now);
  const maxRoutes = options.max_routes ?? 256;
  const windows = slow ? createRouteWindows(slow, maxRoutes, options.min_samples ?? 50) : undefined;
  // Twice the windows' bound: routes the windows forgot may come back.
  const keyOf = createRouteKeys(2 * maxRoutes);
  const routeKeyOf = (s: { method?: string; route?: string; name?: string }): string =>
    keyOf(s.method, s.route, s.name);

  const threshold = (key: string, t: number): number | undefined => windows?.threshold(key, t);
  const firstRule = (input: RuleInput): CompiledRule | undefined => {
    for (const rule of rules) if (rule.matches(input)) return rule;
    return undefined;
  };
  const isError = (error: boolean, status: number | undefined): boolean =>
    errors && (error || (status !== undefined && status >= 500));
  const slowReserve = (durationMs: number, limit: number): number =>
    durationMs >= 2 * limit || (slow !== undefined && durationMs > slow.ceiling)
      ? RESERVE_HIGH
      : RESERVE_LOW;
  const admitWith = (reason: KeepReason, reserve: number): TraceDecision =>
    bucket.take(reserve * bucket.capacity) ? { keep: true, reason } : { keep: false, reason };

  const description =
    `OutlierDecider(errors=${errors}, slow=${slow ? `p${slow.percentile}/${slow.window}ms[${slow.floor}ms..${slow.ceiling}ms]` : 'off'}, ` +
    `rules=[${rules.map((r) => r.name).join(', ')}], budget=${budget}/s)`;

  return {
    decide(summary) {
      const t = now();
      const key = windows ? routeKeyOf(summary) : '';
      const limit = threshold(key, t);
      windows?.record(key, summary.durationMs, t);
      if (summary.baseline) return { keep: true, reason: 'baseline' };
      if (summary.marked !== undefined) return { keep: true, reason: summary.marked };
      if (isError(summary.error, summary.status)) return admitWith('error', 0);
      const rule = firstRule(ruleInput(summary, summary.durationMs));
      if (rule !== undefined)
        return rule.keep
          ? admitWith(rule.reason, RESERVE_HIGH)
          : { keep: false, reason: rule.reason };
      if (limit !== undefined && summary.durationMs > limit) {
        return admitWith('slow', slowReserve(summary.durationMs, limit));
      }
      return { keep: false, reason: 'none' };
    },
    shouldTellCaller(summary) {
      let decision: TraceDecision | undefined;
      if (isError(false, summary.status)) decision = admitWith('error', 0);
      else {
        const rule = firstRule(ruleInput(summary, summary.elapsedMs));
        if (rule !== undefined) {
          if (rule.keep) decision = admitWith(rule.reason, RESERVE_HIGH);
        } else {
          const limit = threshold(routeKeyOf(summary), now());
          if (limit !== undefined && summary.elapsedMs > limit) {
            decision = admitWith('slow', slowReserve(summary.elapsedMs, limit));
          }
        }
      }
      return decision?.keep ? (decision.reason as KeepReason) : undefined;
    },
    admit(reason) {
      if (reason === 'caller' || reason === 'callee' || reason === 'baseline') {
        bucket.drain();
        return true;
      }
      const reserve = reason === 'error' ? 0 : reason === 'slow' ? RESERVE_LOW : RESERVE_HIGH;
      return bucket.take(reserve * bucket.capacity);
    },
    thresholdMs: (method, route, name) =>
      windows ? threshold(keyOf(method, route, name), now()) : undefined,
    toString: () => description,
  };
}

function ruleInput(s: TraceSummary | ProvisionalSummary, durationMs: number): RuleInput {
  return {
    route: s.route ?? s.path,
    method: s.method,
    status: s.status,
    rootAttributes: s.rootAttributes,
    spans: (s as TraceSummary).spans,
    layerMs: (s as TraceSummary).layerMs,
    durationMs,
  };
}
