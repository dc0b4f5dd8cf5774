// Start the three shop services under Strata (`--require @strata/node/register`), each with its
// own port, metrics port and traces file; used by `npm start` here and by the demo.
//   node start.js          # prints the gateway URL; Ctrl-C stops all three
const { spawn } = require('node:child_process');
const net = require('node:net');
const { join } = require('node:path');

const SERVICES = ['payments', 'catalog', 'gateway'];

/** A TCP port free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Start one service and resolve once it prints `listening on <port>`; reject if it exits first. */
function startService(name, env, { tracesDir, output }) {
  const child = spawn(
    process.execPath,
    ['--require', '@strata/node/register', join(__dirname, `${name}.js`)],
    {
      cwd: __dirname,
      env: {
        ...process.env,
        ...env,
        OTEL_SERVICE_NAME: name,
        STRATA_CONFIG: process.env.STRATA_CONFIG ?? join(__dirname, 'strata.yaml'),
        STRATA_TRACES_FILE: join(tracesDir, `${name}.traces.jsonl`),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let seen = '';
  const ready = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      seen += chunk;
      if (output) output(name, String(chunk));
      if (/listening on \d+/.test(seen)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`${name} exited (${signal ?? code}) before listening:\n${seen.trim()}`)),
    );
  });
  return { name, child, ready };
}

/**
 * Start payments, catalog and gateway on free ports. Resolves to { gateway, services, files, stop }:
 * `gateway` is its URL, `files` the traces files, `stop()` ends every process started (SIGTERM,
 * then SIGKILL after 5 s) and resolves when they have exited.
 */
async function startShop({ tracesDir = join(__dirname, '.strata'), env = {}, output } = {}) {
  const ports = {};
  for (const name of SERVICES) ports[name] = { port: await freePort(), metrics: await freePort() };
  const url = (name) => `http://127.0.0.1:${ports[name].port}`;
  const services = [];
  // Whatever ends this process (a crash included), the services do not outlive it.
  process.once('exit', () => {
    for (const { child } of services) if (child.exitCode === null) child.kill('SIGKILL');
  });
  const stop = () =>
    Promise.all(
      services.map(({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return undefined;
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.kill('SIGTERM');
        return new Promise((resolve) => child.once('exit', resolve)).then(() =>
          clearTimeout(timer),
        );
      }),
    );
  try {
    for (const name of SERVICES) {
      const service = startService(
        name,
        {
          ...env,
          PORT: String(ports[name].port),
          OTEL_EXPORTER_PROMETHEUS_PORT: String(ports[name].metrics),
          CATALOG_URL: url('catalog'),
          PAYMENTS_URL: url('payments'),
        },
        { tracesDir, output },
      );
      services.push(service);
      await service.ready;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    gateway: url('gateway'),
    services: services.map(({ name, child }) => ({ name, pid: child.pid, url: url(name) })),
    files: SERVICES.map((name) => join(tracesDir, `${name}.traces.jsonl`)),
    metrics: Object.fromEntries(
      SERVICES.map((name) => [name, `http://127.0.0.1:${ports[name].metrics}/metrics`]),
    ),
    stop,
  };
}

module.exports = { startShop, SERVICES };

if (require.main === module) {
  startShop({ output: (name, text) => process.stdout.write(`[${name}] ${text}`) }).then(
    (shop) => {
      console.log(`\nshop gateway on ${shop.gateway}  (try ${shop.gateway}/api/products)`);
      for (const [name, url] of Object.entries(shop.metrics))
        console.log(`  ${name} metrics ${url}`);
      console.log(`  traces: ${shop.files.join(', ')}`);
      const end = () => shop.stop().then(() => process.exit(0));
      process.once('SIGINT', end);
      process.once('SIGTERM', end);
    },
    (error) => {
      console.error(error.message);
      process.exitCode = 1;
    },
  );
}
