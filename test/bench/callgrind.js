// Machine instructions per request, counted by valgrind's callgrind: registers compared in one
// run differ by their code, to about 1%, where CPU time on a shared 2-core machine varies by
// ±30% (the level itself can move by ~6%, between runs and now and then within one: compare
// within a run, and repeat). It resolves changes of a few thousand instructions per request,
// which the wall-clock benchmark (run.js) cannot. It counts instructions, not time: cache
// misses and the like do not show.
//
//   node test/bench/callgrind.js --app hello-cjs --registers none,@strata/node/register
//
// Each register runs in its own valgrind process (one per core, two at a time). The server
// warms up first, uninstrumented (so TurboFan has compiled the hot code), then callgrind counts
// `--requests` requests. The main thread is reported apart from all threads: the other threads
// are TurboFan's and the GC's helpers, whose share depends on timing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { APPS } from './lib/apps.js';
import { startOtlpSink } from './lib/otlp-sink.js';
import { BENCH_DIR, NODE_BIN, spawnPinned, stop } from './lib/processes.js';
import { freePort } from './lib/server.js';
import { startUpstream } from './lib/upstream.js';
import { cleanEnv } from './lib/variants.js';

const USAGE = `Usage: node test/bench/callgrind.js [options]
  --app ID             ${Object.keys(APPS).join(', ')} (default hello-cjs)
  --registers a,b      'none', or what --require loads: @strata/node/register or a path to
                       another build's register.cjs (default none,@strata/node/register)
  --config FILE        strata.yaml for Strata (default configs/strata-request-path.yaml)
  --warm N             requests before counting (default 8000; 4000 for shop)
  --requests N         requests counted (default 2000; 1000 for shop)
  --keep DIR           keep callgrind's output files (and Node's perf map) in DIR`;

const { values: opts } = parseArgs({
  options: {
    app: { type: 'string', default: 'hello-cjs' },
    registers: { type: 'string', default: 'none,@strata/node/register' },
    config: { type: 'string', default: join(BENCH_DIR, 'configs', 'strata-request-path.yaml') },
    warm: { type: 'string' },
    requests: { type: 'string' },
    keep: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const app = APPS[opts.app];
if (!app || app.esm)
  throw new Error(`--app: expected a CommonJS app (hello-cjs, shop), got ${opts.app}`);
for (const tool of ['valgrind', 'callgrind_control']) {
  if (spawnSync(tool, ['--help']).error)
    throw new Error(`${tool} is missing: apt-get install -y valgrind`);
}
const shop = opts.app === 'shop';
const warm = Number(opts.warm ?? (shop ? 4000 : 8000));
const requests = Number(opts.requests ?? (shop ? 1000 : 2000));
const registers = opts.registers
  .split(',')
  .map((r) => r.trim())
  .filter(Boolean);
const config = resolve(opts.config);

/** `count` GETs of `url` over 8 keep-alive connections. */
function load(url, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  let sent = 0;
  const one = () =>
    new Promise((ok, fail) => {
      http
        .get(url, { agent }, (res) => {
          res.resume();
          res.on('end', ok);
        })
        .on('error', fail);
    });
  const worker = async () => {
    while (sent++ < count) await one();
  };
  return Promise.all(Array.from({ length: 8 }, worker)).finally(() => agent.destroy());
}

async function waitFor200(url, child, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until && child.exitCode === null) {
    const status = await new Promise((ok) => {
      http
        .get(url, { agent: false }, (res) => {
          res.resume();
          res.on('end', () => ok(res.statusCode));
        })
        .on('error', () => ok(0));
    });
    if (status === 200) return;
    await new Promise((ok) => setTimeout(ok, 500));
  }
  throw new Error(`no 200 from ${url} under valgrind`);
}

/** Instructions in callgrind output files (the `summary:` line of each). */
function instructions(files) {
  let total = 0;
  for (const file of files) {
    const line = readFileSync(file, 'utf8').match(/^summary:\s+(\d+)/m);
    if (line) total += Number(line[1]);
  }
  return total;
}

async function measure(register, cpu, ctx) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'strata-callgrind-'));
  const flags =
    register === 'none'
      ? []
      : [
          '--require',
          isAbsolute(register) || register.startsWith('.') ? resolve(register) : register,
        ];
  const env = {
    ...cleanEnv(),
    PORT: String(port),
    ...(shop ? { UPSTREAM_URL: ctx.upstreamUrl } : {}),
    ...(register === 'none'
      ? {}
      : {
          OTEL_SERVICE_NAME: 'strata-callgrind',
          OTEL_EXPORTER_OTLP_ENDPOINT: ctx.sinkUrl,
          STRATA_CONFIG: config,
          STRATA_BENCH_METRICS_PORT: String(await freePort()),
        }),
  };
  const child = spawnPinned(
    cpu,
    'valgrind',
    [
      '--tool=callgrind',
      // V8 writes and rewrites machine code: valgrind must notice.
      '--smc-check=all-non-file',
      '--instr-atstart=no',
      '--separate-threads=yes',
      `--callgrind-out-file=${join(dir, 'callgrind.out')}`,
      NODE_BIN,
      // The perf map goes to /tmp/perf-<pid>.map; the V8 log that comes with it, to --keep.
      ...(opts.keep
        ? [
            '--perf-basic-prof',
            '--no-logfile-per-isolate',
            `--logfile=${join(resolve(opts.keep), `v8-${port}.log`)}`,
          ]
        : []),
      ...flags,
      app.file,
    ],
    { env },
  );
  const url = `http://127.0.0.1:${port}${app.path}`;
  try {
    await waitFor200(url, child, 600_000);
    await load(url, warm);
    await new Promise((ok) => setTimeout(ok, 1000));
    spawnSync('callgrind_control', ['-i', 'on', String(child.pid)]);
    await load(url, requests);
    spawnSync('callgrind_control', ['-d', String(child.pid)]);
  } finally {
    await stop(child, 'SIGINT', 60_000);
  }
  // The dump asked for above is dump 1 (`callgrind.out.1-<thread>`); the one valgrind writes at
  // exit counts the shutdown, not requests.
  const files = readdirSync(dir)
    .filter((f) => f.startsWith('callgrind.out.1-'))
    .map((f) => join(dir, f));
  const main = files.filter((f) => f.endsWith('-01'));
  const result = {
    register,
    main: instructions(main) / requests,
    all: instructions(files) / requests,
  };
  if (opts.keep) {
    // Named after the server's pid, as its perf map is: several registers share one directory.
    for (const file of main) {
      copyFileSync(file, join(resolve(opts.keep), `${basename(file)}.${child.pid}`));
    }
    copyFileSync(`/tmp/perf-${child.pid}.map`, join(resolve(opts.keep), `perf-${child.pid}.map`));
  }
  rmSync(dir, { recursive: true, force: true });
  return result;
}

const sink = await startOtlpSink();
const upstream = shop ? await startUpstream() : undefined;
const ctx = { sinkUrl: sink.url, upstreamUrl: upstream?.url };
const results = [];
try {
  // Two at a time, one per core: instruction counts do not depend on what else runs.
  for (let i = 0; i < registers.length; i += 2) {
    results.push(
      ...(await Promise.all(registers.slice(i, i + 2).map((r, k) => measure(r, k, ctx)))),
    );
  }
} finally {
  if (upstream) await stop(upstream.child, 'SIGTERM', 1000);
  await sink.close();
}

const none = results.find((r) => r.register === 'none');
const table = new Table({
  head: ['register', 'instructions/request (main thread)', 'added', 'all threads'],
});
for (const r of results) {
  const added =
    none && r !== none ? `+${Math.round(r.main - none.main).toLocaleString('en')}` : '—';
  table.push([
    r.register,
    Math.round(r.main).toLocaleString('en'),
    added,
    Math.round(r.all).toLocaleString('en'),
  ]);
}
console.log(`${opts.app}: ${warm} requests to warm up, ${requests} counted; ${config}`);
console.log(table.toString());
