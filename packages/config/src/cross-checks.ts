import type { StrataConfig } from './types';

/** A problem that involves several fields, found on the effective configuration. */
export interface CrossIssue {
  path: string;
  value: unknown;
  expected: string;
  message: string;
}

/** Checks no single field can make: ordering, uniqueness, conflicts, empty conditions. */
export function crossCheck(
  config: StrataConfig,
  written: { disabled?: string[]; enabled?: string[] } = {},
): CrossIssue[] {
  const issues: CrossIssue[] = [];
  for (const name of written.enabled ?? []) {
    const index = written.disabled?.indexOf(name) ?? -1;
    if (index < 0) continue;
    const expected = 'each instrumentation in disabled or enabled, not both';
    issues.push({
      path: `instrumentations.disabled.${index}`,
      value: name,
      expected,
      message: `${JSON.stringify(name)} is also in instrumentations.enabled — expected ${expected}`,
    });
  }
  const { slow, rules } = config.sampling.outliers;
  if (slow && slow.floor > slow.ceiling) {
    const expected = `a floor no higher than the ceiling (${slow.ceiling}ms)`;
    issues.push({
      path: 'sampling.outliers.slow.floor',
      value: slow.floor,
      expected,
      message: `${slow.floor}ms is above the ceiling of ${slow.ceiling}ms — expected ${expected}`,
    });
  }
  const seen = new Map<string, number>();
  rules.forEach((rule, index) => {
    const first = seen.get(rule.name);
    if (first !== undefined) {
      const expected = 'rule names unique (they are reported as rule:<name>)';
      issues.push({
        path: `sampling.outliers.rules.${index}.name`,
        value: rule.name,
        expected,
        message: `${JSON.stringify(rule.name)} is already the name of rule ${first} — expected ${expected}`,
      });
    } else seen.set(rule.name, index);
    if (Object.keys(rule.when).length === 0)
      issues.push(
        emptyWhen(
          `sampling.outliers.rules.${index}.when`,
          'route, method, span, attributes, layer, over, status',
        ),
      );
  });
  config.layers.rules.forEach((rule, index) => {
    if (Object.keys(rule.when).length === 0)
      issues.push(emptyWhen(`layers.rules.${index}.when`, 'scope, span, kind, attributes'));
  });
  const { queue } = config.exporters;
  if (queue.max_batch > queue.max_spans) {
    const expected = `max_batch no larger than max_spans (${queue.max_spans})`;
    issues.push({
      path: 'exporters.queue.max_batch',
      value: queue.max_batch,
      expected,
      message: `${queue.max_batch} is larger than the queue — expected ${expected}`,
    });
  }
  return issues;
}

function emptyWhen(path: string, keys: string): CrossIssue {
  const expected = `at least one condition (${keys})`;
  return {
    path,
    value: {},
    expected,
    message: `no condition: the rule would match everything — expected ${expected}`,
  };
}
