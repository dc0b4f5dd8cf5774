import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// The real command, built, run by the repository's Node 24 as a user would run it.
const root = join(__dirname, '../../..');
const node = join(root, 'node_modules/.bin/node');
const bin = join(root, 'packages/cli/bin/strata.js');
const fixtures = join(root, 'packages/config/test/fixtures');

beforeAll(() => {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'packages/cli'], { cwd: root });
}, 60_000);

function strata(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'strata-check-'));
  const result = spawnSync(node, [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...options.env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// One line of the effective configuration: value, padded, then its source.
const row = (text: string, source: string) => `${text.padEnd(47)} # ${source}`;

const dirWith = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-check-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

describe('strata check', () => {
  it('runs on Node 24', () => {
    expect(execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' })).toMatch(
      /^24\./,
    );
  });

  it('validates a file and prints each effective value with its source', () => {
    const cwd = dirWith({
      'strata.yaml': 'sampling:\n  baseline: 0.5\n  buffer:\n    grace: 1s\n',
    });
    const { code, stdout, stderr } = strata(['check', 'strata.yaml'], {
      cwd,
      env: { OTEL_SERVICE_NAME: 'cart' },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`# ${join(cwd, 'strata.yaml')}: valid`);
    expect(lines).toContain(row('  baseline: 0.5', 'strata.yaml:2'));
    expect(lines).toContain(row('    grace: 1s', 'strata.yaml:4'));
    expect(lines).toContain(row('  name: cart', 'env OTEL_SERVICE_NAME'));
    expect(lines).toContain(row('    max_bytes: 64MB', 'default'));
  });

  it('finds ./strata.yaml when no file is given', () => {
    const cwd = dirWith({ 'strata.yaml': 'strict: true\n' });
    const { code, stdout } = strata(['check'], { cwd });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^strict: true +# strata\.yaml:1$/m);
  });

  it('follows $STRATA_CONFIG', () => {
    const cwd = dirWith({ 'other.yaml': 'log_level: debug\n' });
    const { code, stdout } = strata(['check'], { cwd, env: { STRATA_CONFIG: 'other.yaml' } });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^log_level: debug +# other\.yaml:1$/m);
  });

  it('runs on defaults when there is no file', () => {
    const { code, stdout } = strata(['check']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('# no strata.yaml found: defaults and environment');
    expect(stdout).toMatch(/^ {2}baseline: 0\.1 +# default$/m);
  });

  it('exits 1 and lists every problem of an invalid file', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'strata-check-'));
    copyFileSync(join(fixtures, 'invalid-multiple-errors.yaml'), join(cwd, 'strata.yaml'));
    const { code, stdout, stderr } = strata(['check', 'strata.yaml'], { cwd });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('Invalid Strata configuration (7 problems):');
    expect(lines.slice(1).map((l) => l.trim().split(' ')[0])).toEqual([
      'strata.yaml:4:11',
      'strata.yaml:6:15',
      'strata.yaml:8:13',
      'strata.yaml:10:5',
      'strata.yaml:11:13',
      'strata.yaml:13:12',
      'strata.yaml:15:14',
    ]);
    expect(stderr).toContain(
      'strata.yaml:8:13 sampling.baseline: 1.5 is out of range — expected a probability between 0 and 1',
    );
  });

  it('exits 1 on a bad environment variable', () => {
    const { code, stderr } = strata(['check'], { env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } });
    expect(code).toBe(1);
    expect(stderr).toContain(
      'OTEL_EXPORTER_OTLP_PROTOCOL (exporters.otlp.protocol): "grpc" is not valid',
    );
  });

  it('exits 1 when the named file does not exist', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'strata-check-'));
    const { code, stderr } = strata(['check', 'nope.yaml'], { cwd });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `Strata configuration file not found: ${join(cwd, 'nope.yaml')} (named by the file option)\n`,
    );
  });

  describe('--json', () => {
    it('prints the configuration and the source of every value', () => {
      const cwd = dirWith({ 'strata.yaml': 'sampling:\n  outliers:\n    budget: 3000/min\n' });
      const { code, stdout } = strata(['check', '--json'], { cwd });
      expect(code).toBe(0);
      const output = JSON.parse(stdout);
      expect(output).toMatchObject({
        valid: true,
        file: join(cwd, 'strata.yaml'),
        config: { sampling: { outliers: { budget: 50 } } },
      });
      expect(output.sources['sampling.outliers.budget']).toEqual({
        kind: 'file',
        file: 'strata.yaml',
        line: 3,
        col: 13,
      });
      expect(output.sources['sampling.baseline']).toEqual({ kind: 'default' });
    });

    it('prints the issues of an invalid file and exits 1', () => {
      const cwd = dirWith({ 'strata.yaml': 'sampling:\n  baseline: 1.5\n' });
      const { code, stdout } = strata(['check', '--json', 'strata.yaml'], { cwd });
      expect(code).toBe(1);
      expect(JSON.parse(stdout)).toMatchObject({
        valid: false,
        code: 'STRATA_CONFIG_INVALID',
        issues: [
          {
            file: 'strata.yaml',
            line: 2,
            col: 13,
            path: 'sampling.baseline',
            value: 1.5,
            expected: 'a probability between 0 and 1',
          },
        ],
      });
    });
  });
});

describe('strata', () => {
  it.each([
    [['frobnicate'], 'strata: unknown command "frobnicate"'],
    [[], 'strata: no command given'],
  ])('%j prints usage and exits 2', (args, message) => {
    const { code, stderr } = strata(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: strata <command> [options]');
    expect(stderr).toMatch(/^ {2}check +validate strata\.yaml/m);
  });

  it('--help prints usage and exits 0', () => {
    const { code, stdout } = strata(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: strata <command> [options]');
  });

  it.each([
    [['check', '--bogus'], "Unknown option '--bogus'"],
    [['check', 'a.yaml', 'b.yaml'], 'one file at most, got 2'],
  ])('check %j is a usage error (exit 2)', (args, message) => {
    const { code, stderr } = strata(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
