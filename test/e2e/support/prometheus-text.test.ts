import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';
import { requireFromStrataNode } from '../../support/paths.js';
import { parsePrometheusText, scrape } from '../../support/prometheus-text.js';

const { MeterProvider } = requireFromStrataNode(
  '@opentelemetry/sdk-metrics',
) as typeof import('@opentelemetry/sdk-metrics');
const { PrometheusExporter } = requireFromStrataNode('@opentelemetry/exporter-prometheus') as {
  PrometheusExporter: new (config: {
    host?: string;
    port?: number;
  }) => import('@opentelemetry/sdk-metrics').MetricReader & { shutdown(): Promise<void> };
};

describe('parsePrometheusText', () => {
  const text = [
    '# HELP http_requests_total Requests, with a \\\\ and a \\n.',
    '# TYPE http_requests_total counter',
    '# UNIT http_requests_total requests',
    'http_requests_total{method="GET",route="/users/:id"} 3',
    'http_requests_total{method="POST", route="/a\\"b\\\\c\\nd",} 1.5e1 1700000000000',
    '# a plain comment',
    '',
    'up 1',
    'temperature{} -Inf',
    'ratio NaN',
    'bucket_le{le="+Inf"} +Inf',
  ].join('\n');
  const parsed = parsePrometheusText(text);

  it('reads samples, labels with escapes, timestamps and special values', () => {
    expect(parsed.samples).toHaveLength(6);
    expect(parsed.samples[1]).toEqual({
      name: 'http_requests_total',
      labels: { method: 'POST', route: '/a"b\\c\nd' },
      value: 15,
      timestamp: 1_700_000_000_000,
    });
    expect(parsed.sample('up')?.value).toBe(1);
    expect(parsed.sample('temperature')).toEqual({
      name: 'temperature',
      labels: {},
      value: Number.NEGATIVE_INFINITY,
    });
    expect(parsed.sample('ratio')?.value).toBeNaN();
    expect(parsed.sample('bucket_le', { le: '+Inf' })?.value).toBe(Number.POSITIVE_INFINITY);
  });

  it('reads HELP, TYPE and UNIT', () => {
    expect(parsed.types).toEqual({ http_requests_total: 'counter' });
    expect(parsed.units).toEqual({ http_requests_total: 'requests' });
    expect(parsed.help.http_requests_total).toBe('Requests, with a \\ and a \n.');
  });

  it('selects by label subset and sums', () => {
    expect(parsed.samplesOf('http_requests_total')).toHaveLength(2);
    expect(parsed.sample('http_requests_total', { method: 'GET' })?.value).toBe(3);
    expect(parsed.sample('http_requests_total', { method: 'PUT' })).toBeUndefined();
    expect(parsed.sum('http_requests_total')).toBe(18);
    expect(parsed.sum('http_requests_total', { method: 'POST' })).toBe(15);
    expect(parsed.sum('absent')).toBe(0);
  });

  it.each([
    ['a value that is not a number', 'x_total abc'],
    ['an unterminated label set', 'x_total{a="b" 1'],
    ['a label without quotes', 'x_total{a=b} 1'],
    ['no value', 'x_total{a="b"}'],
    ['trailing garbage', 'x_total 1 2 3'],
  ])('throws naming the line on %s', (_label, line) => {
    expect(() => parsePrometheusText(`ok 1\n${line}\n`)).toThrow(/line 2/);
  });
});

describe('scrape', () => {
  it('reads the real OpenTelemetry Prometheus exporter', async () => {
    const port = await freePort();
    const exporter = new PrometheusExporter({ host: '127.0.0.1', port });
    const provider = new MeterProvider({ readers: [exporter] });
    try {
      const meter = provider.getMeter('scrape-test');
      // No units: exporter-prometheus 0.301 writes `# UNIT` but appends no unit suffix.
      const counter = meter.createCounter('strata.request.layer.time');
      counter.add(0.25, { layer: 'db', 'http.route': '/users/:id' });
      counter.add(0.5, { layer: 'app', 'http.route': '/users/:id' });
      meter.createHistogram('http.server.request.duration').record(0.02);
      const exposition = await scrape(`http://127.0.0.1:${port}/metrics`);
      expect(exposition.types.strata_request_layer_time_total).toBe('counter');
      expect(exposition.sum('strata_request_layer_time_total')).toBeCloseTo(0.75);
      expect(
        exposition.sample('strata_request_layer_time_total', { layer: 'db' })?.labels,
      ).toMatchObject({ http_route: '/users/:id' });
      expect(exposition.sample('http_server_request_duration_count')?.value).toBe(1);
      expect(exposition.sample('http_server_request_duration_bucket', { le: '+Inf' })?.value).toBe(
        1,
      );
    } finally {
      await provider.shutdown();
    }
  });

  it('throws on a non-2xx answer', async () => {
    const server = http.createServer((_req, res) => res.writeHead(503).end('down'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(scrape(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow(/HTTP 503: down/);
    } finally {
      server.close();
    }
  });
});
