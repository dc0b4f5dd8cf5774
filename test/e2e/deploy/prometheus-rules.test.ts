import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { deployPath, promtool, readYaml, ruleExprs } from './helpers.js';

describe('deploy/prometheus', () => {
  it('the static scrape configuration passes promtool check config, rule files included', async () => {
    const { code, output } = await promtool(['check', 'config', 'prometheus.yml']);
    expect(output).toContain('SUCCESS: 2 rule files found');
    expect(code, output).toBe(0);
  });

  it('the Kubernetes scrape configuration is valid: relabelling checked by promtool, discovery by shape', async () => {
    const config = readYaml('prometheus', 'prometheus-kubernetes.yml') as {
      scrape_configs: { job_name: string; kubernetes_sd_configs?: { role: string }[] }[];
    };
    const job = config.scrape_configs.find((c) => c.kubernetes_sd_configs !== undefined);
    expect(job?.kubernetes_sd_configs).toEqual([{ role: 'pod' }]);
    const direct = await promtool(['check', 'config', 'prometheus-kubernetes.yml']);
    if (direct.code === 0) return;
    // Debian's Prometheus is built without Kubernetes discovery. Check everything
    // else (rule files, relabel_configs) with the discovery swapped for static targets.
    expect(direct.output).toMatch(/field kubernetes_sd_configs not found/);
    const dir = mkdtempSync(path.join(tmpdir(), 'strata-promk8s-'));
    const swapped = parse(
      readFileSync(deployPath('prometheus', 'prometheus-kubernetes.yml'), 'utf8'),
    );
    for (const scrape of swapped.scrape_configs) {
      if (!scrape.kubernetes_sd_configs) continue;
      delete scrape.kubernetes_sd_configs;
      scrape.static_configs = [{ targets: ['pod:9464'] }];
    }
    swapped.rule_files = swapped.rule_files.map((f: string) => deployPath('prometheus', f));
    writeFileSync(path.join(dir, 'prometheus.yml'), stringify(swapped));
    const { code, output } = await promtool(['check', 'config', 'prometheus.yml'], dir);
    expect(code, output).toBe(0);
  });

  it('the recording rules and alerts pass promtool check rules', async () => {
    const { code, output } = await promtool([
      'check',
      'rules',
      'rules/strata-recording.yml',
      'rules/strata-alerts.yml',
    ]);
    expect(code, output).toBe(0);
    expect(output).toContain('SUCCESS: 7 rules found');
    expect(output).toContain('SUCCESS: 4 rules found');
  });

  it('the alerts cover latency, layer share, buffer drops and export failures', () => {
    const alerts = ruleExprs().filter((r) => r.kind === 'alert');
    expect(alerts.map((a) => a.where.split(' ')[1]).sort()).toEqual([
      'StrataExportFailing',
      'StrataLayerShareJump',
      'StrataRouteLatencyP99High',
      'StrataSamplingBufferDropping',
    ]);
  });

  it('the rule unit tests pass promtool test rules', async () => {
    const { code, output } = await promtool(['test', 'rules', 'tests/strata-rules.test.yml']);
    expect(code, output).toBe(0);
    expect(output).toContain('SUCCESS');
  });

  it('promtool test rules fails when an alert does not behave as tested (the check can fail)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'strata-promtest-'));
    const tests = parse(
      readFileSync(deployPath('prometheus', 'tests', 'strata-rules.test.yml'), 'utf8'),
    );
    tests.rule_files = tests.rule_files.map((f: string) => deployPath('prometheus', 'tests', f));
    // Claim the latency alert stays silent on the slow route.
    const latency = tests.tests[1].alert_rule_test[1];
    expect(latency.alertname).toBe('StrataRouteLatencyP99High');
    latency.exp_alerts = [];
    writeFileSync(path.join(dir, 'broken.test.yml'), stringify(tests));
    const { code, output } = await promtool(['test', 'rules', 'broken.test.yml'], dir);
    expect(code).not.toBe(0);
    expect(output).toContain('StrataRouteLatencyP99High');
  });
});
