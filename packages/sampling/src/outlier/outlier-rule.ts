import type { Attributes } from '@opentelemetry/api';
import type { OutlierRule, RuleValue, TraceSummary } from '../types';
import { compileGlob } from './glob';

/** What a rule can look at; fields absent at response time (`spans`, `layerMs`) make such conditions fail. */
export type RuleInput = Pick<TraceSummary, 'route' | 'method' | 'status' | 'spans' | 'layerMs'> & {
  durationMs: number;
  rootAttributes?: Attributes;
};

/** A rule compiled once: globs become matchers, conditions a list of predicates. */
export interface CompiledRule {
  readonly name: string;
  readonly keep: boolean;
  /** The keep reason this rule gives (`rule:<name>`). */
  readonly reason: `rule:${string}`;
  matches(input: RuleInput): boolean;
  toString(): string;
}

/** Compile an outlier rule; every condition in `when` must hold (an empty `when` matches everything). */
export function compileRule(rule: OutlierRule): CompiledRule {
  const checks: ((input: RuleInput) => boolean)[] = [];
  const { when } = rule;
  if (when.route !== undefined) {
    const glob = compileGlob(when.route);
    checks.push((i) => i.route !== undefined && glob(i.route));
  }
  if (when.method !== undefined) {
    const method = when.method.toUpperCase();
    checks.push((i) => i.method !== undefined && i.method.toUpperCase() === method);
  }
  if (when.status !== undefined) checks.push(statusCheck(when.status));
  if (when.attributes !== undefined) {
    const entries = Object.entries(when.attributes) as [string, RuleValue][];
    checks.push((i) => entries.every(([key, value]) => i.rootAttributes?.[key] === value));
  }
  if (when.span !== undefined) {
    const glob = compileGlob(when.span);
    checks.push((i) => i.spans?.some((span) => glob(span.name)) === true);
  }
  const over = when.over;
  if (when.layer !== undefined) {
    const layer = when.layer;
    // `layer` alone: the request spent time in it; with `over`: more than `over` ms.
    checks.push((i) => {
      const ms = i.layerMs?.[layer];
      return ms !== undefined && (over === undefined || ms > over);
    });
  } else if (over !== undefined) {
    checks.push((i) => i.durationMs > over);
  }
  const description = `OutlierRule(name=${rule.name}, when=${describeWhen(when)}, keep=${rule.keep})`;
  return {
    name: rule.name,
    keep: rule.keep,
    reason: `rule:${rule.name}`,
    matches: (input) => checks.every((check) => check(input)),
    toString: () => description,
  };
}

/** `404` matches exactly; `5xx` (or `5XX`) matches the class. */
function statusCheck(status: number | string): (input: RuleInput) => boolean {
  const text = String(status).trim().toLowerCase();
  const cls = /^([1-5])xx$/.exec(text);
  if (cls) {
    const first = Number(cls[1]) * 100;
    return (i) => i.status !== undefined && i.status >= first && i.status < first + 100;
  }
  const code = Number(text);
  return (i) => i.status === code;
}

function describeWhen(when: OutlierRule['when']): string {
  const parts = Object.entries(when).map(([key, value]) =>
    key === 'over'
      ? `over=${value}ms`
      : `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`,
  );
  return `{${parts.join(', ')}}`;
}
