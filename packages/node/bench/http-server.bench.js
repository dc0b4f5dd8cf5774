'use strict';
// HTTP server instrumentation overhead: an uninstrumented hello, the stock
// @opentelemetry/instrumentation-http server side, and Strata's
// diagnostics_channel one, in one run, interleaved. Same TracerProvider set-up
// for both instrumented variants (AlwaysOn, a no-op processor): this measures
// the instrumentation, not export.
//
//   npx tsc -b packages/node && npx node packages/node/bench/http-server.bench.js
//   env: ROUNDS=3 DURATION=5s CONNECTIONS=32 SERVER_CPU=0 LOAD_CPU=1
//
// Prints requests/s (median of rounds), µs added per request against the
// uninstrumented server (1e6/rps − 1e6/rps_none), and server CPU µs/request
// from /proc (less sensitive to a busy machine than wall-clock throughput).

const { spawn, execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const path = require('node:path');

const VARIANTS = ['none', 'stock', 'strata'];

function serve(variant) {
  const { context, propagation, trace } = require('@opentelemetry/api');
  if (variant !== 'none') {
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
    const { W3CTraceContextPropagator } = require('@opentelemetry/core');
    const { NoopSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace');
    const provider = new TracerProvider({ spanProcessors: [new NoopSpanProcessor()] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    if (variant === 'stock') {
      const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
      const instrumentation = new HttpInstrumentation({});
      instrumentation.setTracerProvider(provider);
    } else {
      const dist = path.join(__dirname, '../dist/instrumentations/http-server');
      const { createHttpServerInstrumentation } = require(
        `${dist}/create-http-server-instrumentation.js`,
      );
      createHttpServerInstrumentation().enable(provider);
    }
  }
  // After the instrumentations: the stock one patches `http` when it is required.
  const http = require('node:http');
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('hello');
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
}

function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return (ticks * 1e6) / 100; // USER_HZ = 100
}

function wrk(port, duration, connections, cpu) {
  const out = execFileSync('taskset', [
    '-c',
    cpu,
    'wrk',
    '-t1',
    `-c${connections}`,
    `-d${duration}`,
    `http://127.0.0.1:${port}/`,
  ]).toString();
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  return { rps, requests };
}

async function measure(variant, options) {
  const child = spawn(
    'taskset',
    ['-c', options.serverCpu, process.execPath, __filename, '--serve', variant],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const port = await new Promise((resolve, reject) => {
      child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
      child.once('exit', (code) => reject(new Error(`${variant} server exited with ${code}`)));
    });
    wrk(port, '1s', options.connections, options.loadCpu); // warm up the JIT
    const before = cpuMicros(child.pid);
    const { rps, requests } = wrk(port, options.duration, options.connections, options.loadCpu);
    const cpu = (cpuMicros(child.pid) - before) / requests;
    return { rps, cpu };
  } finally {
    child.kill(); // only the server this run started
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const options = {
    rounds: Number(process.env.ROUNDS ?? 3),
    duration: process.env.DURATION ?? '5s',
    connections: Number(process.env.CONNECTIONS ?? 32),
    serverCpu: process.env.SERVER_CPU ?? '0',
    loadCpu: process.env.LOAD_CPU ?? '1',
  };
  const results = Object.fromEntries(VARIANTS.map((v) => [v, { rps: [], cpu: [] }]));
  for (let round = 0; round < options.rounds; round++) {
    for (const variant of VARIANTS) {
      const { rps, cpu } = await measure(variant, options);
      results[variant].rps.push(rps);
      results[variant].cpu.push(cpu);
      console.error(
        `round ${round + 1} ${variant}: ${rps.toFixed(0)} req/s, ${cpu.toFixed(1)} CPU µs/req`,
      );
    }
  }
  const base = median(results.none.rps);
  const baseCpu = median(results.none.cpu);
  const rows = VARIANTS.map((variant) => {
    const rps = median(results[variant].rps);
    const cpu = median(results[variant].cpu);
    return {
      variant,
      'req/s (median)': Math.round(rps),
      'req/s (min..max)': `${Math.round(Math.min(...results[variant].rps))}..${Math.round(Math.max(...results[variant].rps))}`,
      ratio: Number((rps / base).toFixed(3)),
      'µs added/req': Number((1e6 / rps - 1e6 / base).toFixed(2)),
      'CPU µs/req': Number(cpu.toFixed(2)),
      'CPU µs added/req': Number((cpu - baseCpu).toFixed(2)),
    };
  });
  console.table(rows);
  console.log(JSON.stringify({ node: process.version, options, results, rows }));
}

if (process.argv[2] === '--serve') serve(process.argv[3]);
else
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
