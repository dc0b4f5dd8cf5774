import { it } from 'vitest';
import { startOtlpReceiver } from '../../support/otlp-receiver.js';
import { appPath } from '../../support/paths.js';
import { spawnApp, stopAllApps } from '../../support/spawn-app.js';
import { KEEP_ALL_YAML, REQUIRE_STRATA, strataEnv, writeConfig } from '../node/helpers.js';

it('explore', async () => {
  const receiver = await startOtlpReceiver();
  const down = await spawnApp({ script: appPath('layers-downstream.cjs') });
  const { env, metricsPort } = await strataEnv(receiver, { STRATA_CONFIG: writeConfig(KEEP_ALL_YAML), DOWNSTREAM_URL: down.url });
  const app = await spawnApp({ script: appPath('layers-shop.cjs'), nodeArgs: REQUIRE_STRATA, env });
  console.log((await app.fetch('/warm')).status);
  for (const p of ['/orders/1', '/orders/2', '/parallel', '/broken']) console.log(p, (await app.fetch(p)).status);
  await new Promise((r) => setTimeout(r, 1500));
  const spans = receiver.spans();
  const byTrace = new Map<string, typeof spans>();
  for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  for (const [, list] of byTrace) {
    const root = list.find((s) => s.parentSpanId === '')!;
    if (!root) continue;
    console.log('TRACE', root.name, Number(root.durationNs) / 1e6, JSON.stringify(Object.fromEntries(Object.entries(root.attributes).filter(([k]) => k.startsWith('strata')))));
    for (const s of list.sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano))) {
      console.log('  ', s.name, s.kind, s.spanId, s.parentSpanId, s.scope.name, Number(s.startTimeUnixNano - root.startTimeUnixNano) / 1e6, Number(s.durationNs) / 1e6, s.status.code, JSON.stringify(s.attributes));
    }
  }
  console.log((await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()).split('\n').filter((l) => l.includes('strata_request_layer_time')).join('\n'));
  console.log(app.stderr());
  await stopAllApps();
  await receiver.close();
});
