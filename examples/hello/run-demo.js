// `npm run demo` (until the shop demo lands): run the hello app under
// Strata, send it a mix of normal, slow and failing requests, stop it with
// SIGTERM, and print what Strata exported.
const { spawn } = require('node:child_process');
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const here = __dirname;
const tracesFile = join(here, '.strata', 'traces.jsonl');
const port = 3000 + Math.floor(Math.random() * 1000);
const metricsPort = port + 1000;

async function main() {
  rmSync(tracesFile, { force: true });
  const app = spawn(process.execPath, ['--require', '@strata/node/register', 'app.js'], {
    cwd: here,
    env: { ...process.env, PORT: String(port), OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = () => app.kill('SIGTERM');
  process.on('SIGINT', stop);
  try {
    await waitUntilUp(`http://127.0.0.1:${port}/`);
    const plan = [];
    for (let i = 0; i < 200; i++) {
      if (i % 50 === 7) plan.push('/fail');
      else if (i % 40 === 3) plan.push('/slow?ms=400');
      else plan.push(i % 2 ? '/' : `/users/${i}`);
    }
    let done = 0;
    for (const path of plan) {
      await fetch(`http://127.0.0.1:${port}${path}`)
        .then((r) => r.text())
        .catch(() => undefined);
      done++;
      if (done % 20 === 0) process.stdout.write(`\rsent ${done}/${plan.length} requests`);
    }
    process.stdout.write('\n');
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
      .then((r) => r.text())
      .catch(() => '');
    stop();
    await new Promise((resolve) => app.once('exit', resolve));
    printReport(metrics);
  } finally {
    stop();
  }
}

async function waitUntilUp(url) {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`the hello app did not answer on ${url}`);
}

function printReport(metrics) {
  const roots = [];
  if (existsSync(tracesFile)) {
    for (const line of readFileSync(tracesFile, 'utf8').split('\n')) {
      if (!line) continue;
      for (const rs of JSON.parse(line).resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? [])
          for (const span of ss.spans ?? []) if (!span.parentSpanId) roots.push(span);
    }
  }
  console.log(`\nStrata kept ${roots.length} request traces (written to ${tracesFile}):\n`);
  for (const span of roots.slice(0, 25)) {
    const attrs = Object.fromEntries(
      (span.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]),
    );
    const ms = (
      Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6
    ).toFixed(1);
    const layers = Object.entries(attrs)
      .filter(([k]) => k.startsWith('strata.layer.'))
      .map(([k, v]) => `${k.slice(13, -3)} ${Number(v).toFixed(1)}ms`)
      .join(', ');
    console.log(
      `  ${span.name.padEnd(20)} ${ms.padStart(7)} ms  ${String(attrs['strata.sampling.reason'] ?? '').padEnd(9)} ${layers}`,
    );
  }
  const layerLines = metrics
    .split('\n')
    .filter((l) => l.startsWith('strata_request_layer_time_seconds_total'));
  if (layerLines.length)
    console.log(
      `\nPrometheus (strata_request_layer_time_seconds_total):\n  ${layerLines.join('\n  ')}`,
    );
}

main().catch((err) => {
  console.error(`demo failed: ${err.message}`);
  process.exitCode = 1;
});
