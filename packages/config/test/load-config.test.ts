// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig, parseConfig, StrataConfigError } from '../src/index';

const fixtures = join(__dirname, 'fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const tempDir = (files: Record<string, string> = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

describe('loadConfig', () => {
  describe('without a file', () => {
    it('returns the defaults, every value sourced as default', () => {
      const loaded = loadConfig({ cwd: tempDir(), env: {} });
      expect(loaded.file).toBeUndefined();
      expect(loaded.config).toEqual(defaultConfig());
      expect(loaded.config.service.name).toBe('unknown_service:node');
      expect(new Set([...loaded.sources.values()].map((s) => s.kind))).toEqual(
        new Set(['default']),
      );
      expect(loaded.sources.get('sampling.outliers.slow.floor')).toEqual({ kind: 'default' });
    });

    it('has the documented defaults', () => {
      const { config } = loadConfig({ cwd: tempDir(), env: {} });
      expect(config.sampling).toEqual({
        baseline: 0.1,
        outliers: {
          errors: true,
          slow: { percentile: 99, window: 60_000, floor: 50, ceiling: 2000 },
          rules: [],
          budget: 50,
        },
        buffer: { max_spans: 100_000, max_bytes: 64_000_000, grace: 500, root_timeout: 60_000 },
        tell_caller: true,
      });
      expect(config.exporters.otlp).toEqual({
        endpoint: 'http://localhost:4318',
        protocol: 'http/protobuf',
        headers: {},
        timeout: 10_000,
      });
      expect(config.exporters.metrics).toEqual({
        prometheus: { host: '0.0.0.0', port: 9464 },
        otlp: false,
      });
      expect(config.instrumentations.disabled).toEqual(['fs', 'dns', 'net']);
      expect(config.shutdown.timeout).toBe(5000);
    });

    it('names the service after package.json in the working directory', () => {
      const cwd = tempDir({
        'package.json': '{\n  "version": "1.0.0",\n  "name": "@acme/shop"\n}\n',
      });
      const loaded = loadConfig({ cwd, env: {} });
      expect(loaded.config.service.name).toBe('@acme/shop');
      expect(loaded.sources.get('service.name')).toEqual({
        kind: 'file',
        file: join(cwd, 'package.json'),
        line: 3,
        col: 3,
      });
    });

    it('ignores a package.json without a usable name', () => {
      expect(
        loadConfig({ cwd: tempDir({ 'package.json': '{ broken' }), env: {} }).config.service.name,
      ).toBe('unknown_service:node');
    });
  });

  describe('file lookup', () => {
    it('reads strata.yaml in the working directory', () => {
      const cwd = tempDir({ 'strata.yaml': 'sampling:\n  baseline: 0.5\n' });
      const loaded = loadConfig({ cwd, env: {} });
      expect(loaded.file).toBe(join(cwd, 'strata.yaml'));
      expect(loaded.config.sampling.baseline).toBe(0.5);
      expect(loaded.sources.get('sampling.baseline')).toEqual({
        kind: 'file',
        file: 'strata.yaml',
        line: 2,
        col: 13,
      });
    });

    it('also reads strata.yml', () => {
      const cwd = tempDir({ 'strata.yml': 'strict: true\n' });
      expect(loadConfig({ cwd, env: {} })).toMatchObject({
        file: join(cwd, 'strata.yml'),
        config: { strict: true },
      });
    });

    it('prefers $STRATA_CONFIG (relative to cwd) over ./strata.yaml', () => {
      const cwd = tempDir({ 'strata.yaml': 'strict: false\n', 'other.yaml': 'strict: true\n' });
      expect(loadConfig({ cwd, env: { STRATA_CONFIG: 'other.yaml' } }).config.strict).toBe(true);
    });

    it('prefers options.file over $STRATA_CONFIG', () => {
      const cwd = tempDir({ 'a.yaml': 'log_level: debug\n', 'b.yaml': 'log_level: warn\n' });
      expect(
        loadConfig({ cwd, env: { STRATA_CONFIG: 'b.yaml' }, file: 'a.yaml' }).config.log_level,
      ).toBe('debug');
    });

    it.each([
      [{ STRATA_CONFIG: 'missing.yaml' }, undefined, 'STRATA_CONFIG'],
      [{}, 'missing.yaml', 'the file option'],
    ])(
      'fails with STRATA_CONFIG_NOT_FOUND when a named file is missing (%j %s)',
      (env, file, from) => {
        const cwd = tempDir({ 'strata.yaml': 'strict: true\n' });
        expect(() => loadConfig({ cwd, env, file })).toThrow(
          expect.objectContaining({
            code: 'STRATA_CONFIG_NOT_FOUND',
            message: `Strata configuration file not found: ${join(cwd, 'missing.yaml')} (named by ${from})`,
          }),
        );
      },
    );

    it('names the file relative to the working directory in errors', () => {
      const cwd = tempDir();
      mkdirSync(join(cwd, 'config'));
      writeFileSync(join(cwd, 'config', 'strata.yaml'), 'strict: maybe\n');
      expect(() => loadConfig({ cwd, env: {}, file: 'config/strata.yaml' })).toThrow(
        'config/strata.yaml:1:9 strict: "maybe" is a string — expected true or false',
      );
    });
  });
});

describe('parseConfig', () => {
  const parse = (text: string, env: NodeJS.ProcessEnv = {}) =>
    parseConfig(text, { file: 'strata.yaml', env, cwd: tempDir() });

  it('reads the DESIGN.md example into normalised values', () => {
    const { config, sources } = parse(fixture('valid-design-example.yaml'));
    expect(config.service).toEqual({
      name: 'checkout',
      attributes: { 'deployment.environment.name': 'prod' },
    });
    expect(config.sampling.outliers.slow).toEqual({
      percentile: 99,
      window: 60_000,
      floor: 50,
      ceiling: 2000,
    });
    expect(config.sampling.outliers.rules).toEqual([
      { name: 'checkout-always', when: { route: '/checkout*' }, keep: true },
      { name: 'slow-db', when: { layer: 'db', over: 100 }, keep: true },
    ]);
    expect(config.sampling.buffer).toEqual({
      max_spans: 100_000,
      max_bytes: 64_000_000,
      grace: 500,
      root_timeout: 60_000,
    });
    expect(config.layers.rules).toEqual([
      { when: { scope: '@acme/billing-client' }, layer: 'rpc' },
    ]);
    expect(config.instrumentations.http.ignore_paths).toEqual(['/healthz', '/metrics']);
    expect(sources.get('sampling.outliers.slow.floor')).toEqual({
      kind: 'file',
      file: 'strata.yaml',
      line: 24,
      col: 14,
    });
    expect(sources.get('sampling.outliers.rules.1.when.over')).toEqual({
      kind: 'file',
      file: 'strata.yaml',
      line: 31,
      col: 34,
    });
    expect(sources.get('sampling.buffer.root_timeout')).toEqual({ kind: 'default' });
  });

  it('reads every key, substituting ${VAR}', () => {
    const env = { DEPLOY_ENV: 'staging', API_KEY: 's3cret' };
    const { config } = parse(fixture('valid-every-key.yaml'), env);
    expect(config.service).toEqual({
      name: 'billing',
      attributes: { 'deployment.environment.name': 'staging', team: 'payments', replicas: 3 },
    });
    expect(config.exporters).toEqual({
      traces: 'file',
      otlp: {
        endpoint: 'https://collector.internal:4318',
        url: 'https://collector.internal:4318/custom/traces',
        protocol: 'http/json',
        headers: { 'x-api-key': 's3cret' },
        timeout: 2500,
      },
      file: { path: '/var/log/strata/traces.jsonl' },
      queue: { max_spans: 4096, max_batch: 256, delay: 250 },
      metrics: {
        prometheus: false,
        // OTLP metrics take what they do not set from exporters.otlp, except the traces URL.
        otlp: {
          endpoint: 'https://collector.internal:4318',
          protocol: 'http/json',
          headers: { 'x-api-key': 's3cret', 'x-metrics': 'yes' },
          timeout: 2500,
          interval: 30_000,
        },
      },
    });
    expect(config.sampling).toEqual({
      baseline: 0.25,
      outliers: {
        errors: false,
        slow: { percentile: 99.9, window: 90_000, floor: 100, ceiling: 3000 },
        rules: [
          {
            name: 'admin-never',
            when: { route: '/admin/*', method: 'GET', status: '2xx' },
            keep: false,
          },
          {
            name: 'tenant-vip',
            when: {
              attributes: { 'tenant.tier': 'vip', retries: 2, beta: true },
              span: 'charge *',
            },
            keep: true,
          },
          { name: 'teapot', when: { status: 418, over: 10 }, keep: true },
        ],
        budget: 50,
      },
      buffer: { max_spans: 5000, max_bytes: 524_288, grace: 1000, root_timeout: 120_000 },
      tell_caller: false,
    });
    expect(config.layers).toEqual({
      rules: [
        {
          when: { scope: '@acme/billing-client', kind: 'client' },
          layer: 'rpc',
          system: 'billing',
        },
        { when: { span: 'render *' }, layer: 'templating' },
      ],
      max_routes: 100,
    });
    // `disabled` adds to fs/dns/net; `enabled` turns fs back on.
    expect(config.instrumentations).toEqual({
      disabled: ['dns', 'net', 'mongodb'],
      enabled: ['fs'],
      http: { ignore_paths: ['/healthz', '/metrics/*'] },
    });
    expect(config).toMatchObject({
      shutdown: { timeout: 10_000 },
      strict: true,
      log_level: 'debug',
      disabled: false,
    });
  });

  it('types a substituted plain scalar as YAML would, and keeps quoted ones as strings', () => {
    const { config } = parse(
      'sampling:\n  baseline: ${RATE}\nservice:\n  attributes:\n    version: "${VERSION}"\n',
      { RATE: '0.5', VERSION: '2' },
    );
    expect(config.sampling.baseline).toBe(0.5);
    expect(config.service.attributes.version).toBe('2');
  });

  it('treats an empty or comment-only file as no settings', () => {
    expect(parse('').config).toEqual(defaultConfig());
    expect(parse('# nothing yet\n').config).toEqual(defaultConfig());
  });

  it('turns mappings on with `true` and fills their defaults', () => {
    const { config, sources } = parse(
      'exporters:\n  metrics:\n    otlp: true\n    prometheus: { port: 0 }\nsampling:\n  outliers:\n    slow: { floor: 10ms }\n',
    );
    expect(config.exporters.metrics).toEqual({
      prometheus: { host: '0.0.0.0', port: 0 },
      otlp: {
        endpoint: 'http://localhost:4318',
        protocol: 'http/protobuf',
        headers: {},
        timeout: 10_000,
        interval: 60_000,
      },
    });
    expect(config.sampling.outliers.slow).toEqual({
      percentile: 99,
      window: 60_000,
      floor: 10,
      ceiling: 2000,
    });
    expect(sources.get('exporters.metrics.prometheus.port')).toMatchObject({
      kind: 'file',
      line: 4,
    });
    expect(sources.get('exporters.metrics.prometheus.host')).toEqual({ kind: 'default' });
  });

  it('reads a key with no value (its children commented out) as not set', () => {
    const { config, sources } = parse('sampling:\n  # baseline: 0.5\nservice:\n  name:\n');
    expect(config).toEqual(parse('').config);
    expect(sources.get('sampling.baseline')).toEqual({ kind: 'default' });
    expect(sources.get('service.name')).toEqual({ kind: 'default' });
  });

  it('turns outlier kinds off with false', () => {
    expect(parse('sampling:\n  outliers:\n    slow: false\n').config.sampling.outliers.slow).toBe(
      false,
    );
  });

  it('reads runtime.young_generation_limit as bytes; 0 leaves V8 alone; a bad size names the key', () => {
    expect(defaultConfig().runtime.young_generation_limit).toBe(16_000_000);
    expect(parse('runtime:\n  young_generation_limit: 32MiB\n').config.runtime).toEqual({
      young_generation_limit: 33_554_432,
    });
    expect(
      parse('runtime:\n  young_generation_limit: 0\n').config.runtime.young_generation_limit,
    ).toBe(0);
    expect(() => parse('runtime:\n  young_generation_limit: lots\n')).toThrow(
      /strata\.yaml:2:27 runtime\.young_generation_limit: "?lots"?/,
    );
  });

  it('reports every problem at once, in file order, in the error message', () => {
    let error: unknown;
    try {
      parse(fixture('invalid-multiple-errors.yaml'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StrataConfigError);
    const message = (error as StrataConfigError).message;
    expect(message.split('\n')[0]).toBe('Invalid Strata configuration (7 problems):');
    expect(message).toContain(
      '  strata.yaml:8:13 sampling.baseline: 1.5 is out of range — expected a probability between 0 and 1\n',
    );
    expect(message).toContain(
      '  strata.yaml:10:5 sampling.outliers.slwo: unknown key — did you mean "slow"? (valid: errors, slow, rules, budget)\n',
    );
  });

  it('reads the hello example shipped in the repository', () => {
    const text = readFileSync(join(__dirname, '../../../examples/hello/strata.yaml'), 'utf8');
    expect(parse(text).config).toMatchObject({
      service: { name: 'hello' },
      exporters: { traces: 'file' },
    });
  });
});
