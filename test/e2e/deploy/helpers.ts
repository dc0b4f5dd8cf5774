import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { repoRoot } from '../../support/paths.js';

const run = promisify(execFile);

/** deploy/ in the repository. */
export const deployDir = path.join(repoRoot, 'deploy');

/** A path under deploy/. */
export function deployPath(...parts: string[]): string {
  return path.join(deployDir, ...parts);
}

/** Parse a YAML file under deploy/. */
export function readYaml(...parts: string[]): unknown {
  return parse(readFileSync(deployPath(...parts), 'utf8'));
}

/** Run promtool (Debian `prometheus` package); resolves with its output and exit code. */
export async function promtool(
  args: string[],
  cwd = deployPath('prometheus'),
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('promtool not found: apt-get install prometheus');
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout}${e.stderr}` };
  }
}

/** A PromQL expression and where it was found (for failure messages). */
export interface FoundExpr {
  where: string;
  expr: string;
}

interface RuleFile {
  groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[];
}

/** Every recording and alerting rule under deploy/prometheus/rules. */
export function ruleExprs(): (FoundExpr & { kind: 'record' | 'alert' })[] {
  const dir = deployPath('prometheus', 'rules');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .flatMap((name) =>
      (parse(readFileSync(path.join(dir, name), 'utf8')) as RuleFile).groups.flatMap((group) =>
        group.rules.map((rule) => ({
          kind: rule.alert === undefined ? ('record' as const) : ('alert' as const),
          where: `${name} ${rule.alert ?? rule.record}`,
          expr: rule.expr.trim(),
        })),
      ),
    );
}

/** A Grafana dashboard as far as these tests read it. */
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown; definition?: string }[] };
  links?: { url: string }[];
}

/** A Grafana panel as far as these tests read it. */
export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string }[];
  repeat?: string;
  fieldConfig?: { defaults: { links?: { url: string }[] } };
  panels?: Panel[];
}

/** The dashboards under deploy/grafana/dashboards, by file name. */
export function dashboards(): Map<string, Dashboard> {
  const dir = deployPath('grafana', 'dashboards');
  return new Map(
    readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => [name, JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Dashboard]),
  );
}

/** Every PromQL expression of the dashboards: panel targets and query variables. */
export function dashboardExprs(): FoundExpr[] {
  const found: FoundExpr[] = [];
  for (const [file, dashboard] of dashboards()) {
    for (const panel of dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]))
      for (const target of panel.targets ?? [])
        found.push({ where: `${file} "${panel.title}" ${target.refId}`, expr: target.expr });
    for (const variable of dashboard.templating.list)
      if (variable.type === 'query' && variable.definition !== undefined)
        found.push({ where: `${file} variable $${variable.name}`, expr: variable.definition });
  }
  return found;
}

/**
 * Turn a dashboard expression into plain PromQL the way Grafana would run it
 * with "All" selected: template variables become match-all regexes, the rate
 * interval a window that holds several scrapes, and `label_values(selector, label)`
 * the selector it lists values from.
 */
export function toPromql(expr: string, rateInterval = '30s'): string {
  const labelValues = expr.match(/^label_values\((.*),\s*(\w+)\)$/s);
  const query = labelValues ? labelValues[1] : expr;
  return query
    .replaceAll('$__rate_interval', rateInterval)
    .replace(/\$\{?(\w+)\}?/g, (_all, name: string) => {
      if (name === 'job' || name === 'route') return '.*';
      throw new Error(`unknown variable $${name} in ${expr}`);
    });
}

/**
 * An alert's condition made to return every series it compares (`> bool`):
 * the test wants data whether or not the alert fires.
 */
export function alertAsBool(expr: string): string {
  return expr.replace(/\s(>=|<=|==|!=|>|<)\s+(?!bool\b)/g, ' $1 bool ');
}
