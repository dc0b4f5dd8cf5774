import { describe, expect, it } from 'vitest';
import { scrape } from '../../support/prometheus-text.js';
import { KEEP_ALL_YAML } from '../node/helpers.js';
import { requestInTurn, tracesOf, useShop } from './shop.js';

const CLIENT = 3;

// The bundle replaces parts of undici's instrumentation (scripts/bundle.mjs: the user agent is
// read by a scan, the method looked up in a Set, the metric's attributes picked by a loop):
// fetch's client spans and http.client.request.duration must read as the stock ones do.
describe('fetch client spans and metrics', () => {
  const running = useShop(KEEP_ALL_YAML);

  it('records a GET and a method outside the conventions, with their user agents', async () => {
    expect(await requestInTurn(running.shop.app, ['/orders/1', '/fetch-custom'])).toEqual([
      200, 200,
    ]);
    const downstream = new URL(running.shop.downstream.url);
    const clientOf = async (route: string) => {
      const [trace] = await tracesOf(running.receiver, route, 1);
      return trace.spans.filter((s) => s.kind === CLIENT && s.attributes['url.full'] !== undefined);
    };

    const [get] = await clientOf('/orders/:id');
    expect(get.name).toBe('GET');
    expect(get.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': `${downstream.origin}/delay?ms=30`,
      'url.path': '/delay',
      'url.query': '?ms=30',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': Number(downstream.port),
      'http.response.status_code': 200,
      'user_agent.original': 'node',
    });

    const [purge] = await clientOf('/fetch-custom');
    expect(purge.name).toBe('HTTP');
    expect(purge.attributes).toMatchObject({
      'http.request.method': '_OTHER',
      'http.request.method_original': 'PURGE',
      'user_agent.original': 'strata-e2e/1.0',
      'http.response.status_code': 200,
    });

    const metrics = await scrape(running.shop.metricsUrl);
    const count = (method: string) =>
      metrics.samplesOf('http_client_request_duration_seconds_count', {
        http_request_method: method,
        http_response_status_code: '200',
        server_address: '127.0.0.1',
        server_port: downstream.port,
        url_scheme: 'http',
        network_protocol_version: '1.1',
      });
    // /warm, /orders/1 and /fetch-custom, each one call.
    expect(count('GET').map((s) => s.value)).toEqual([2]);
    expect(count('_OTHER').map((s) => s.value)).toEqual([1]);
  });
});
