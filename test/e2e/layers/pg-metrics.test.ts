import { describe, expect, it } from 'vitest';
import { scrape } from '../../support/prometheus-text.js';
import { KEEP_ALL_YAML } from '../node/helpers.js';
import { requestInTurn, useShop } from './shop.js';

// The bundle records pg's pool gauges only when they change, with attributes made once per
// pool, and a query's duration with one attributes object per label set (scripts/bundle.mjs):
// what Prometheus shows must still be the pool as it is, and every query under its labels.
describe('PostgreSQL client metrics', () => {
  // /warm opens two connections, kept idle for the whole test (idleTimeoutMillis 0).
  const running = useShop(KEEP_ALL_YAML);

  it('shows the pool as it is, and every query in the duration histogram under its labels', async () => {
    expect(await requestInTurn(running.shop.app, ['/orders/1', '/orders/2', '/orders/3'])).toEqual([
      200, 200, 200,
    ]);
    const metrics = await scrape(running.shop.metricsUrl);
    const connections = (state: string) =>
      metrics.samplesOf('db_client_connection_count', { db_client_connection_state: state });
    // Every series exists, even one that never changed (pending: 0 all along). pg-pool
    // announces a release before it puts the client back, so the stock instrumentation (and
    // Strata, which records what it records) can read one connection as used after the last
    // query; used + idle is always the two connections the pool holds.
    const used = connections('used').map((s) => s.value);
    const idle = connections('idle').map((s) => s.value);
    expect(used).toHaveLength(1);
    expect(idle).toHaveLength(1);
    expect(used[0] + idle[0]).toBe(2);
    expect(metrics.samplesOf('db_client_connection_pending_requests').map((s) => s.value)).toEqual([
      0,
    ]);
    expect(metrics.sum('db_client_operation_duration_seconds_count')).toBe(5);

    // Two queries in /warm, one per order, and then a failed one under its own error.type.
    expect(await requestInTurn(running.shop.app, ['/broken'])).toEqual([500]);
    const after = await scrape(running.shop.metricsUrl);
    const durations = after.samplesOf('db_client_operation_duration_seconds_count');
    expect(durations.map((s) => [s.labels.error_type ?? 'none', s.value]).sort()).toEqual([
      ['42P01', 1],
      ['none', 5],
    ]);
    for (const { labels } of durations) {
      expect(labels).toMatchObject({
        db_system_name: 'postgresql',
        db_operation_name: 'SELECT',
        db_namespace: 'test',
        server_address: '127.0.0.1',
        server_port: '5432',
      });
    }
  });
});
