// `npm run demo`: start the shop under Strata, drive a mixed load with injected outliers for a
// bounded time (STRATA_DEMO_SECONDS, default 30), then print `strata report`. Without PostgreSQL
// or Redis, say so and run the hello example instead. Stops every process it started, also on Ctrl-C.
const { spawn } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const net = require('node:net');
const { join } = require('node:path');
const { main: strata } = require('@strata/cli');
const { startShop } = require('./start');

const seconds = Number(process.env.STRATA_DEMO_SECONDS ?? 30);
const tracesDir = process.env.STRATA_DEMO_DIR ?? join(__dirname, '.strata', 'demo');
const stops = [];
let interrupted = false;

process.once('SIGINT', () => {
  interrupted = true;
  process.stderr.write('\ninterrupted: stopping the services\n');
});

/** Resolve true when host:port accepts a TCP connection within 1 s. */
function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function progress(done, total, sent, label) {
  const width = 30;
  const filled = Math.max(0, Math.min(width, Math.round((done / total) * width)));
  process.stdout.write(
    `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toFixed(0)}/${total} s  ${sent} requests`,
  );
}

// The shop's traffic: mostly ordinary requests, with injected outliers on a fixed schedule (so
// every run shows each kind): a slow query (caught by the slow-db rule), a slow Redis call and a
// slow payments call (over the 250 ms ceiling), failing payments; and a middle third in which
// cart reads are chatty with Redis (30 ms of round trips each: under the slow floor, so no
// outliers, a shift only the per-route breakdown and the layer-over-time chart show).
let sent = 0;
let issued = 0;
const counts = { product: 0, cart: 0, checkout: 0 };
function shopRequest(elapsed, total) {
  const n = issued++;
  const user = `u${n % 20}`;
  const degraded = elapsed > total / 3 && elapsed < (2 * total) / 3;
  switch (n % 10) {
    case 0:
    case 1:
    case 2:
      return { method: 'GET', path: '/api/products' };
    case 3:
    case 4: {
      const slow = counts.product++ % 12 === 5 ? '?slow=db:150' : '';
      return { method: 'GET', path: `/api/products/${1 + (n % 40)}${slow}` };
    }
    case 5:
    case 6:
      return { method: 'POST', path: `/api/cart/${user}/items?product=${1 + (n % 40)}` };
    case 7:
    case 8: {
      const i = counts.cart++;
      const slow = degraded ? '?slow=cache:30' : i % 15 === 4 ? '?slow=cache:300' : '';
      return { method: 'GET', path: `/api/cart/${user}${slow}` };
    }
    default: {
      const i = counts.checkout++ % 6;
      const fault = i === 2 ? '?slow=payments:300' : i === 5 ? '?fail=payments' : '';
      return { method: 'POST', path: `/api/checkout/${user}${fault}` };
    }
  }
}

async function drive(base, makeRequest, label) {
  const started = Date.now();
  const total = Math.max(1, seconds);
  const deadline = started + total * 1000;
  sent = 0;
  const worker = async () => {
    while (Date.now() < deadline && !interrupted) {
      const { method, path } = makeRequest((Date.now() - started) / 1000, total);
      await fetch(`${base}${path}`, { method })
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
      sent++;
      // About 100 requests a second in all: enough traffic, a readable trace file.
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  };
  const timer = setInterval(() => progress((Date.now() - started) / 1000, total, sent, label), 200);
  await Promise.all(Array.from({ length: 4 }, worker));
  clearInterval(timer);
  progress(Math.min(total, (Date.now() - started) / 1000), total, sent, label);
  process.stdout.write('\n');
  console.log(`${sent} requests sent`);
  return sent;
}

// Traces always go to the local files; when an OTLP endpoint is configured and answers, the
// same export requests are sent there too (Jaeger v2 takes OTLP/JSON on /v1/traces).
async function forwardToOtlp(files) {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return;
  const url = `${endpoint.replace(/\/+$/, '')}/v1/traces`;
  let sent = 0;
  try {
    for (const file of files.filter(existsSync))
      for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: line,
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
        sent++;
      }
    console.log(`sent ${sent} export requests to ${url} (open Jaeger to browse them)`);
  } catch (error) {
    console.log(
      `OTLP endpoint ${url} did not take the traces (${error.message}); they are in the files.`,
    );
  }
}

async function runShop() {
  const shop = await startShop({ tracesDir });
  stops.push(shop.stop);
  const pids = shop.services.map(({ name, pid }) => `${name} ${pid}`).join(', ');
  console.log(
    `shop under Strata (pids: ${pids}); gateway on ${shop.gateway}; ${seconds} s of traffic`,
  );
  await drive(shop.gateway, shopRequest, 'load');
  await shop.stop(); // SIGTERM: each service flushes its traces before it exits
  return shop.files;
}

async function runHello() {
  const port = await new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  const file = join(tracesDir, 'hello.traces.jsonl');
  const child = spawn(process.execPath, ['--require', '@strata/node/register', 'app.js'], {
    cwd: join(__dirname, '..', 'hello'),
    env: {
      ...process.env,
      PORT: String(port),
      STRATA_CONFIG: join(__dirname, 'strata.yaml'),
      STRATA_TRACES_FILE: file,
      OTEL_SERVICE_NAME: 'hello',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port + 1 > 65535 ? port - 1 : port + 1),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  stops.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(base).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const helloRequest = () => {
    const roll = Math.random();
    if (roll < 0.02) return { method: 'GET', path: '/fail' };
    if (roll < 0.04) return { method: 'GET', path: '/slow?ms=300' };
    return { method: 'GET', path: roll < 0.5 ? '/' : `/users/${Math.floor(roll * 100)}` };
  };
  await drive(base, helloRequest, 'load');
  child.kill('SIGTERM');
  await exited;
  return [file];
}

async function main() {
  rmSync(tracesDir, { recursive: true, force: true });
  mkdirSync(tracesDir, { recursive: true });
  const { PGHOST = '127.0.0.1', PGPORT = '5432' } = process.env;
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const missing = [];
  if (!(await reachable(PGHOST, PGPORT))) missing.push(`PostgreSQL on ${PGHOST}:${PGPORT}`);
  if (!(await reachable(redis.hostname, redis.port || 6379)))
    missing.push(`Redis on ${redis.hostname}:${redis.port || 6379}`);
  let files;
  if (missing.length === 0) files = await runShop();
  else {
    console.log(
      `The shop example needs ${missing.join(' and ')}, which did not answer.\n` +
        '  Start them with the compose files in deploy/compose, or with\n' +
        '    docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres\n' +
        '    docker run -d -p 6379:6379 redis\n' +
        '  (or point PGHOST/PGPORT and REDIS_URL at yours). Running the hello example instead.\n',
    );
    files = await runHello();
  }
  if (interrupted) return;
  await forwardToOtlp(files);
  console.log('');
  const args = ['report', ...files.filter(existsSync).flatMap((f) => ['--file', f])];
  if (process.env.STRATA_DEMO_HTML) args.push('--html', process.env.STRATA_DEMO_HTML);
  process.exitCode = await strata(args);
  // STRATA_DEMO_JSON=<file>: also the report as JSON, for tests and scripts.
  if (process.env.STRATA_DEMO_JSON) {
    let json = '';
    const io = {
      out: (t) => (json += t),
      err: (t) => process.stderr.write(t),
      env: process.env,
      cwd: process.cwd(),
    };
    await strata([...args, '--json'], io);
    writeFileSync(process.env.STRATA_DEMO_JSON, json);
  }
  console.log(
    `\nTraces: ${files.join(', ')}\nAgain, in detail: npx strata report ${args.slice(1).join(' ')} --html report.html`,
  );
}

main()
  .catch((error) => {
    console.error(`demo failed: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => Promise.all(stops.map((stop) => stop())));
