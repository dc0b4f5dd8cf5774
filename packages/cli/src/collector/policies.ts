import type { OutlierRule, StrataConfig } from '@strata/config';

/** One `tail_sampling` policy, as the collector's YAML spells it. */
export type Policy = { name: string; type: string } & Record<string, unknown>;

/** A strata.yaml setting the collector cannot express the same way, and what was done instead. */
export interface Unmapped {
  /** The strata.yaml key path, e.g. `sampling.outliers.rules[0] (slow-db)`. */
  path: string;
  /** What the rendered configuration does instead. */
  note: string;
}

/** Options of {@link samplingPolicies}. */
export interface PolicyOptions {
  /** Spans per trace assumed to turn the trace budget (traces/s) into the collector's spans/s. */
  spansPerTrace: number;
}

/** `/checkout*` → `^/checkout.*$`: strata.yaml globs as the anchored regexes the collector matches. */
export function globToRegex(glob: string): string {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return `^${escaped}$`;
}

type Sub = Record<string, unknown> & { type: string };

function attributePolicy(key: string, value: string | number | boolean): Sub {
  if (typeof value === 'number')
    return {
      type: 'numeric_attribute',
      numeric_attribute: { key, min_value: value, max_value: value },
    };
  if (typeof value === 'boolean')
    return { type: 'boolean_attribute', boolean_attribute: { key, value } };
  return { type: 'string_attribute', string_attribute: { key, values: [value] } };
}

/** The conditions of one rule as collector sub-policies; all must hold (an `and` policy). */
function ruleConditions(rule: OutlierRule): Sub[] {
  const { when } = rule;
  const subs: Sub[] = [];
  if (when.route !== undefined)
    subs.push({
      type: 'string_attribute',
      string_attribute: {
        key: 'http.route',
        values: [globToRegex(when.route)],
        enabled_regex_matching: true,
      },
    });
  if (when.method !== undefined)
    subs.push(attributePolicy('http.request.method', when.method.toUpperCase()));
  if (typeof when.status === 'number')
    subs.push(attributePolicy('http.response.status_code', when.status));
  else if (typeof when.status === 'string') {
    const base = Number(when.status[0]) * 100;
    subs.push({
      type: 'numeric_attribute',
      numeric_attribute: {
        key: 'http.response.status_code',
        min_value: base,
        max_value: base + 99,
      },
    });
  }
  for (const [key, value] of Object.entries(when.attributes ?? {}))
    subs.push(attributePolicy(key, value));
  if (when.span !== undefined)
    subs.push({
      type: 'ottl_condition',
      ottl_condition: {
        error_mode: 'ignore',
        span: [`IsMatch(name, ${JSON.stringify(globToRegex(when.span))})`],
      },
    });
  if (when.layer !== undefined) {
    // Strata writes `strata.layer.<layer>.ms` on the local root; the collector reads it there.
    const attr = `attributes["strata.layer.${when.layer}.ms"]`;
    subs.push({
      type: 'ottl_condition',
      ottl_condition: {
        error_mode: 'ignore',
        span: [when.over !== undefined ? `${attr} > ${when.over}` : `${attr} != nil`],
      },
    });
  } else if (when.over !== undefined)
    subs.push({ type: 'latency', latency: { threshold_ms: when.over } });
  return subs;
}

/** The `tail_sampling` policies equivalent to strata.yaml's sampling section, and what did not map. */
export function samplingPolicies(
  config: StrataConfig,
  options: PolicyOptions,
): { policies: Policy[]; unmapped: Unmapped[] } {
  const { baseline, outliers } = config.sampling;
  const unmapped: Unmapped[] = [];
  const policies: Policy[] = [];
  if (baseline > 0)
    policies.push({
      name: 'baseline',
      type: 'probabilistic',
      probabilistic: { sampling_percentage: Math.round(baseline * 1e6) / 1e4 },
    });
  // tail_sampling limits spans/s, per policy; Strata's budget is traces/s over all outliers.
  const spansPerSecond = Math.max(1, Math.round(outliers.budget * options.spansPerTrace));
  const budget: Sub = {
    type: 'rate_limiting',
    rate_limiting: { spans_per_second: spansPerSecond },
  };
  unmapped.push({
    path: 'sampling.outliers.budget',
    note: `${outliers.budget} traces/s becomes rate_limiting of ${spansPerSecond} spans/s on each outlier policy (assuming ${options.spansPerTrace} spans per trace); the collector has no shared traces/s budget`,
  });
  const outlier = (name: string, subs: Sub[]): Policy => ({
    name,
    type: 'and',
    and: { and_sub_policy: [...subs, budget].map((sub, i) => ({ name: `${name}-${i}`, ...sub })) },
  });
  if (outliers.errors)
    policies.push(
      outlier('errors', [{ type: 'status_code', status_code: { status_codes: ['ERROR'] } }]),
    );
  if (outliers.slow !== false) {
    const { percentile, ceiling, floor } = outliers.slow;
    policies.push(outlier('slow', [{ type: 'latency', latency: { threshold_ms: ceiling } }]));
    unmapped.push({
      path: 'sampling.outliers.slow',
      note: `the adaptive p${percentile} per route has no collector equivalent: traces over the ceiling (${ceiling} ms) are kept; the floor (${floor} ms) is not needed`,
    });
  }
  outliers.rules.forEach((rule, i) => {
    const subs = ruleConditions(rule);
    const name = `rule:${rule.name}`;
    if (rule.keep) policies.push(outlier(name, subs));
    else
      policies.push({
        name,
        type: 'drop',
        drop: { drop_sub_policy: subs.map((sub, j) => ({ name: `${name}-${j}`, ...sub })) },
      });
    if (rule.when.layer !== undefined)
      unmapped.push({
        path: `sampling.outliers.rules[${i}] (${rule.name})`,
        note: `layer times exist only as the strata.layer.${rule.when.layer}.ms root attribute Strata writes: an ottl_condition on it; services without Strata never match`,
      });
  });
  if (config.sampling.tell_caller)
    unmapped.push({
      path: 'sampling.tell_caller',
      note: 'not needed: the gateway sees every service of a trace and decides for all of them',
    });
  return { policies, unmapped };
}
