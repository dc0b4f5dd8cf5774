import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConfigIssue, loadConfig, parseConfig, StrataConfigError } from '../src/index';

const cwd = mkdtempSync(join(tmpdir(), 'strata-env-'));
const withEnv = (env: NodeJS.ProcessEnv, text?: string) =>
  text === undefined
    ? loadConfig({ cwd, env })
    : parseConfig(text, { file: 'strata.yaml', env, cwd });
const issuesOf = (env: NodeJS.ProcessEnv, text?: string): ConfigIssue[] => {
  try {
    withEnv(env, text);
  } catch (error) {
    if (error instanceof StrataConfigError) return error.issues;
    throw error;
  }
  throw new Error('accepted');
};

describe('OTEL_* environment variables', () => {
  describe('service', () => {
    it('OTEL_SERVICE_NAME names the service when the file does not', () => {
      const loaded = withEnv({ OTEL_SERVICE_NAME: 'cart' });
      expect(loaded.config.service.name).toBe('cart');
      expect(loaded.sources.get('service.name')).toEqual({
        kind: 'env',
        name: 'OTEL_SERVICE_NAME',
      });
    });

    it('the file wins over OTEL_SERVICE_NAME', () => {
      const loaded = withEnv({ OTEL_SERVICE_NAME: 'cart' }, 'service:\n  name: checkout\n');
      expect(loaded.config.service.name).toBe('checkout');
      expect(loaded.sources.get('service.name')).toMatchObject({ kind: 'file', line: 2, col: 9 });
    });

    it('OTEL_RESOURCE_ATTRIBUTES fills attributes, percent-decoded; its service.name counts below OTEL_SERVICE_NAME', () => {
      const env = {
        OTEL_RESOURCE_ATTRIBUTES:
          'service.name=from-attrs,team=pay%20ments,deployment.environment.name=prod',
      };
      const loaded = withEnv(env);
      expect(loaded.config.service).toEqual({
        name: 'from-attrs',
        attributes: { team: 'pay ments', 'deployment.environment.name': 'prod' },
      });
      expect(loaded.sources.get('service.attributes.team')).toEqual({
        kind: 'env',
        name: 'OTEL_RESOURCE_ATTRIBUTES',
      });
      expect(withEnv({ ...env, OTEL_SERVICE_NAME: 'cart' }).config.service.name).toBe('cart');
    });

    it('the file wins per attribute key', () => {
      const loaded = withEnv(
        { OTEL_RESOURCE_ATTRIBUTES: 'team=env,region=eu' },
        'service:\n  attributes:\n    team: file\n',
      );
      expect(loaded.config.service.attributes).toEqual({ team: 'file', region: 'eu' });
    });
  });

  describe('OTLP exporter', () => {
    it('reads endpoint, headers, protocol and timeout', () => {
      const env = {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D,x-team=pay',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      };
      const { config, sources } = withEnv(env);
      expect(config.exporters.otlp).toEqual({
        endpoint: 'https://otlp.example:4318',
        protocol: 'http/json',
        headers: { 'x-api-key': 'abc==', 'x-team': 'pay' },
        timeout: 2500,
      });
      expect(sources.get('exporters.otlp.headers.x-api-key')).toEqual({
        kind: 'env',
        name: 'OTEL_EXPORTER_OTLP_HEADERS',
      });
      expect(sources.get('exporters.otlp.timeout')).toEqual({
        kind: 'env',
        name: 'OTEL_EXPORTER_OTLP_TIMEOUT',
      });
    });

    it('the signal-specific variables win over the general ones', () => {
      const env = {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TIMEOUT: '1',
        OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2',
      };
      expect(withEnv(env).config.exporters.otlp).toMatchObject({
        protocol: 'http/protobuf',
        timeout: 2,
      });
    });

    it('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is a full URL, kept apart as `url`', () => {
      const { config } = withEnv({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/v1/traces',
      });
      expect(config.exporters.otlp).toMatchObject({
        endpoint: 'http://localhost:4318',
        url: 'http://jaeger:4318/v1/traces',
      });
    });

    it('an endpoint in the file wins over OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', () => {
      const text = 'exporters:\n  otlp:\n    endpoint: http://collector:4318\n';
      const { config } = withEnv(
        { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/v1/traces' },
        text,
      );
      expect(config.exporters.otlp.endpoint).toBe('http://collector:4318');
      expect(config.exporters.otlp.url).toBeUndefined();
    });

    it('the file wins over OTEL_EXPORTER_OTLP_ENDPOINT', () => {
      const text = 'exporters:\n  otlp:\n    endpoint: http://collector:4318\n';
      expect(
        withEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318' }, text).config.exporters.otlp
          .endpoint,
      ).toBe('http://collector:4318');
    });
  });

  describe('switches', () => {
    it('OTEL_TRACES_EXPORTER, OTEL_SDK_DISABLED and OTEL_LOG_LEVEL (any case)', () => {
      const { config, sources } = withEnv({
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_SDK_DISABLED: 'TRUE',
        OTEL_LOG_LEVEL: 'DEBUG',
      });
      expect(config).toMatchObject({
        exporters: { traces: 'console' },
        disabled: true,
        log_level: 'debug',
      });
      expect(sources.get('disabled')).toEqual({ kind: 'env', name: 'OTEL_SDK_DISABLED' });
    });

    it('OTEL_EXPORTER_PROMETHEUS_HOST and _PORT, unless the file turns Prometheus off', () => {
      const env = {
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: '9100',
      };
      expect(withEnv(env).config.exporters.metrics.prometheus).toEqual({
        host: '127.0.0.1',
        port: 9100,
      });
      expect(
        withEnv(env, 'exporters:\n  metrics:\n    prometheus: false\n').config.exporters.metrics
          .prometheus,
      ).toBe(false);
    });

    it('an empty variable counts as unset', () => {
      expect(
        withEnv({ OTEL_SERVICE_NAME: '', OTEL_SDK_DISABLED: '', OTEL_EXPORTER_OTLP_ENDPOINT: '' })
          .config,
      ).toMatchObject({
        service: { name: 'unknown_service:node' },
        disabled: false,
        exporters: { otlp: { endpoint: 'http://localhost:4318' } },
      });
    });
  });

  describe('bad values', () => {
    it.each([
      [
        'OTEL_EXPORTER_OTLP_PROTOCOL',
        'grpc',
        'exporters.otlp.protocol',
        '"grpc" is not valid — expected http/protobuf or http/json (gRPC export is not supported; use http/protobuf on port 4318)',
      ],
      [
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        'collector:4318',
        'exporters.otlp.endpoint',
        '"collector:4318" is not valid — expected an http:// or https:// URL',
      ],
      [
        'OTEL_EXPORTER_OTLP_TIMEOUT',
        '10s',
        'exporters.otlp.timeout',
        '"10s" is not valid — expected a timeout in milliseconds (an integer)',
      ],
      [
        'OTEL_TRACES_EXPORTER',
        'otlp,console',
        'exporters.traces',
        'expected otlp, file, console or none (Strata sends traces to one exporter)',
      ],
      ['OTEL_SDK_DISABLED', 'yes', 'disabled', '"yes" is not valid — expected true or false'],
      [
        'OTEL_LOG_LEVEL',
        'loud',
        'log_level',
        'expected none, error, warn, info, debug, verbose, all',
      ],
      [
        'OTEL_EXPORTER_PROMETHEUS_PORT',
        '70000',
        'exporters.metrics.prometheus.port',
        'expected a port number between 0 and 65535',
      ],
      [
        'OTEL_RESOURCE_ATTRIBUTES',
        'team=pay,oops',
        'service.attributes',
        'expected comma-separated key=value pairs, percent-encoded (bad entry "oops")',
      ],
      [
        'OTEL_EXPORTER_OTLP_HEADERS',
        'a=%E0%A4%A',
        'exporters.otlp.headers',
        'expected comma-separated key=value pairs',
      ],
    ])('%s=%s is an error naming the variable', (name, value, path, message) => {
      const [issue] = issuesOf({ [name]: value });
      expect(issue).toMatchObject({ env: name, path, value, file: undefined });
      expect(issue.message).toContain(message);
    });

    it('reports every bad variable, and file problems with them', () => {
      const issues = issuesOf({ OTEL_SDK_DISABLED: 'nope', OTEL_LOG_LEVEL: 'loud' }, 'strict: 1\n');
      expect(issues.map((i) => i.env ?? `${i.file}:${i.line}:${i.col}`)).toEqual([
        'strata.yaml:1:9',
        'OTEL_SDK_DISABLED',
        'OTEL_LOG_LEVEL',
      ]);
      expect(() => withEnv({ OTEL_SDK_DISABLED: 'nope' })).toThrow(
        'OTEL_SDK_DISABLED (disabled): "nope" is not valid — expected true or false',
      );
    });
  });
});
