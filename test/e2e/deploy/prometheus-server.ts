import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort } from '../../support/free-port.js';
import { waitFor } from '../../support/wait-for.js';
import { deployPath } from './helpers.js';

/** A Prometheus server started for a test, on a free port with its own data directory. */
export interface PrometheusServer {
  url: string;
  /** Run an instant query; resolves with the result vector. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** The loaded rule groups as the rules API reports them. */
  rules(): Promise<{ name: string; health: string; lastError?: string; type: string }[]>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Start the Debian `prometheus` binary scraping `targets` every second with
 * the rule files of deploy/prometheus, their group interval lowered to 1 s so a
 * short test sees recording rules evaluated (the expressions are unchanged).
 */
export async function startPrometheus(targets: string[]): Promise<PrometheusServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'strata-prometheus-'));
  const ruleFiles = ['strata-recording.yml', 'strata-alerts.yml'].map((name) => {
    const rules = parse(readFileSync(deployPath('prometheus', 'rules', name), 'utf8'));
    for (const group of rules.groups) group.interval = '1s';
    const file = path.join(dir, name);
    writeFileSync(file, stringify(rules));
    return file;
  });
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: ruleFiles,
      scrape_configs: [{ job_name: 'strata-e2e', static_configs: [{ targets }] }],
    }),
  );
  mkdirSync(path.join(dir, 'data'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    out += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const api = async (pathname: string) => {
    const res = await fetch(`${url}${pathname}`);
    const body = (await res.json()) as { status: string; data: unknown; error?: string };
    if (body.status !== 'success') throw new Error(`${pathname}: ${body.error}`);
    return body.data;
  };
  try {
    await waitFor(async () => (await fetch(`${url}/-/ready`)).ok, {
      timeoutMs: 20_000,
      describe: () => out,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    output: () => out,
    stop,
    query: async (expr) =>
      ((await api(`/api/v1/query?query=${encodeURIComponent(expr)}`)) as { result: [] }).result,
    rules: async () =>
      ((await api('/api/v1/rules')) as { groups: { rules: [] }[] }).groups.flatMap((g) => g.rules),
  };
}
