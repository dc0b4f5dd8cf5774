import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@strata/config';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { globToRegex } from '../src/collector/policies';
import { type CollectorConfig, renderCollectorConfig } from '../src/collector/render';
import { collectorConfig } from '../src/commands/collector-config';
import type { CommandIo } from '../src/io';

const fixtures = path.join(__dirname, 'fixtures', 'collector');
const deployCollector = path.join(__dirname, '..', '..', '..', 'deploy', 'collector');

function run(args: string[], cwd = fixtures) {
  let out = '';
  let err = '';
  const io: CommandIo = { out: (t) => (out += t), err: (t) => (err += t), env: {}, cwd };
  const code = collectorConfig(args, io);
  return { code, out, err };
}

function policiesOf(file: string) {
  const { config } = loadConfig({ env: {}, cwd: fixtures, file: path.join(fixtures, file) });
  return renderCollectorConfig(config);
}

/** Every component a pipeline names is defined, and every defined component is used. */
function wiringProblems(config: CollectorConfig): string[] {
  const problems: string[] = [];
  const used = {
    receivers: new Set<string>(),
    processors: new Set<string>(),
    exporters: new Set<string>(),
  };
  for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      if (kind !== 'processors' && pipeline[kind].length === 0)
        problems.push(`${name}: no ${kind}`);
      for (const id of pipeline[kind]) {
        used[kind].add(id);
        if (!Object.hasOwn(config[kind], id))
          problems.push(`${name}: ${kind} ${id} is not defined`);
      }
    }
  }
  for (const kind of ['receivers', 'processors', 'exporters'] as const)
    for (const id of Object.keys(config[kind]))
      if (!used[kind].has(id)) problems.push(`${kind} ${id} is defined but unused`);
  for (const id of config.service.extensions ?? [])
    if (!Object.hasOwn(config.extensions ?? {}, id))
      problems.push(`extension ${id} is not defined`);
  return problems;
}

describe('strata collector-config', () => {
  describe('golden files', () => {
    for (const name of ['design-example', 'every-condition']) {
      it(`renders ${name}.yaml as ${name}.golden.yaml`, () => {
        const { code, out, err } = run([`${name}.yaml`]);
        expect(err).toBe('');
        expect(code).toBe(0);
        const golden = path.join(fixtures, `${name}.golden.yaml`);
        if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, out);
        expect(out).toBe(readFileSync(golden, 'utf8'));
      });
    }

    it('deploy/collector holds the rendering of deploy/collector/strata.yaml', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'strata-collector-'));
      const { code } = run(['strata.yaml', '--out-dir', dir], deployCollector);
      expect(code).toBe(0);
      for (const file of ['agent.yaml', 'gateway.yaml'])
        expect(readFileSync(path.join(dir, file), 'utf8'), file).toBe(
          readFileSync(path.join(deployCollector, file), 'utf8'),
        );
    });
  });

  describe('structure', () => {
    it('prints two YAML documents whose pipelines are wired to defined components', () => {
      const docs = parseAllDocuments(run(['every-condition.yaml']).out);
      expect(docs).toHaveLength(2);
      for (const doc of docs) {
        expect(doc.errors).toEqual([]);
        expect(wiringProblems(doc.toJS() as CollectorConfig)).toEqual([]);
      }
    });

    it('the wiring check finds an undefined processor (the check can fail)', () => {
      const { gateway } = policiesOf('design-example.yaml');
      gateway.service.pipelines.traces.processors.push('tail_sampling/typo');
      expect(wiringProblems(gateway)).toEqual([
        'traces: processors tail_sampling/typo is not defined',
      ]);
    });

    it('routes agent spans by trace id to the gateway and exports the gateway to Jaeger', () => {
      const { agent, gateway } = policiesOf('design-example.yaml');
      expect(agent.exporters.loadbalancing).toMatchObject({
        routing_key: 'traceID',
        resolver: { dns: { hostname: 'strata-gateway-headless' } },
      });
      expect(gateway.exporters['otlp/jaeger']).toMatchObject({ endpoint: 'jaeger:4317' });
      expect(gateway.service.pipelines.traces.processors).toContain('tail_sampling');
    });
  });

  describe('policies', () => {
    const design = policiesOf('design-example.yaml');
    const byName = new Map(policiesOf('every-condition.yaml').policies.map((p) => [p.name, p]));
    const subs = (name: string) =>
      (byName.get(name)!.and as { and_sub_policy: Record<string, unknown>[] }).and_sub_policy;

    it('baseline → probabilistic with the same percentage', () => {
      expect(design.policies[0]).toEqual({
        name: 'baseline',
        type: 'probabilistic',
        probabilistic: { sampling_percentage: 10 },
      });
    });

    it('errors → status_code ERROR, slow → latency at the ceiling, both under the budget', () => {
      const [errors, slow] = design.policies.slice(1, 3);
      expect(errors).toMatchObject({ name: 'errors', type: 'and' });
      expect(JSON.stringify(errors)).toContain('"status_codes":["ERROR"]');
      expect(JSON.stringify(slow)).toContain('"threshold_ms":2000');
      expect(JSON.stringify(slow)).toContain('"spans_per_second":1000');
    });

    it('route glob → string_attribute regex on http.route, method → http.request.method', () => {
      expect(subs('rule:admin-posts').slice(0, 2)).toEqual([
        {
          name: 'rule:admin-posts-0',
          type: 'string_attribute',
          string_attribute: {
            key: 'http.route',
            values: ['^/admin/.*$'],
            enabled_regex_matching: true,
          },
        },
        {
          name: 'rule:admin-posts-1',
          type: 'string_attribute',
          string_attribute: { key: 'http.request.method', values: ['POST'] },
        },
      ]);
    });

    it('status class and code → numeric_attribute ranges; attributes by type', () => {
      expect(subs('rule:server-errors')[0]).toMatchObject({
        numeric_attribute: { key: 'http.response.status_code', min_value: 500, max_value: 599 },
      });
      expect(subs('rule:teapot').map((s) => s.type)).toEqual([
        'numeric_attribute',
        'string_attribute',
        'boolean_attribute',
        'numeric_attribute',
        'rate_limiting',
      ]);
    });

    it('span glob → ottl IsMatch, over → latency, layer → ottl on strata.layer.<layer>.ms', () => {
      expect(subs('rule:reports-over-1s').slice(0, 2)).toMatchObject([
        { ottl_condition: { span: ['IsMatch(name, "^report .*$")'] } },
        { latency: { threshold_ms: 1000 } },
      ]);
      expect(subs('rule:any-cache')[0]).toMatchObject({
        ottl_condition: { span: ['attributes["strata.layer.cache.ms"] != nil'] },
      });
      expect(JSON.stringify(design.policies[4])).toContain(
        'attributes[\\"strata.layer.db.ms\\"] > 100',
      );
    });

    it('keep: false → a drop policy', () => {
      expect(byName.get('rule:no-health')).toMatchObject({
        type: 'drop',
        drop: { drop_sub_policy: [{ string_attribute: { values: ['^/healthz$'] } }] },
      });
    });

    it('reports what has no collector equivalent', () => {
      expect(design.unmapped.map((u) => u.path)).toEqual([
        'sampling.outliers.budget',
        'sampling.outliers.slow',
        'sampling.outliers.rules[1] (slow-db)',
        'sampling.tell_caller',
      ]);
    });

    it('globs escape regex characters', () => {
      expect(globToRegex('/v1.0/items(*)')).toBe('^/v1\\.0/items\\(.*\\)$');
    });
  });

  describe('errors', () => {
    it('exits 1 naming the problem for an invalid strata.yaml', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'strata-collector-'));
      writeFileSync(path.join(dir, 'strata.yaml'), 'sampling:\n  baseline: 2\n');
      const { code, err } = run(['strata.yaml'], dir);
      expect(code).toBe(1);
      expect(err).toContain('sampling.baseline');
    });

    it('exits 2 on bad usage', () => {
      expect(run(['a.yaml', 'b.yaml']).code).toBe(2);
      expect(run(['--spans-per-trace', 'zero']).code).toBe(2);
    });
  });
});
