// Overhead benchmark: no instrumentation vs the stock OpenTelemetry register vs Strata, on the
// same machine in one run, variants interleaved round by round. See README.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { aggregate } from './lib/aggregate.js';
import { APPS } from './lib/apps.js';
import { readOptions, USAGE } from './lib/args.js';
import { pickLoadTool } from './lib/load.js';
import { measureOnce } from './lib/measure.js';
import { startOtlpSink } from './lib/otlp-sink.js';
import { machineInfo } from './lib/proc-stats.js';
import { BENCH_DIR, canPin, installCleanup, NODE_BIN, pinSelf, stop } from './lib/processes.js';
import { consoleTable, readmeSection, rewriteReadme } from './lib/report.js';
import { startUpstream } from './lib/upstream.js';
import { unavailableReason } from './lib/variants.js';

const opts = readOptions(process.argv.slice(2));
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
if (opts.render) {
  const saved = JSON.parse(readFileSync(resolve(opts.render), 'utf8'));
  const rows = aggregate(saved.records, saved.options.apps, saved.options.variants);
  console.log(consoleTable(rows));
  if (opts.readme)
    rewriteReadme(join(BENCH_DIR, 'README.md'), readmeSection({ ...saved, rows }, rows));
  process.exit(0);
}
installCleanup();
pinSelf(1); // the probe client and the OTLP sink stay off the server's core
opts.tool = pickLoadTool(opts.tool);
opts.pinned = canPin();
const nodeVersion = spawnSync(NODE_BIN, ['--version']).stdout.toString().trim();
const machine = machineInfo(nodeVersion);
const log = (line) => console.log(line);

const skipped = [];
const runnable = new Map(); // app → variants that can run it
for (const appId of opts.apps) {
  const variants = opts.variants.filter((variantId) => {
    const reason = unavailableReason(variantId, APPS[appId]);
    if (reason) skipped.push({ app: appId, variant: variantId, reason });
    return !reason;
  });
  runnable.set(appId, variants);
}

const sink = await startOtlpSink();
const upstream = opts.apps.includes('shop') ? await startUpstream() : null;
// Strata's code cache starts empty in every run, so no earlier build's cache is measured.
const codeCacheDir = mkdtempSync(join(tmpdir(), 'strata-bench-cache-'));
const ctx = { sink, sinkUrl: sink.url, upstreamUrl: upstream?.url, codeCacheDir };
log(
  `bench: ${opts.rounds} round(s), ${opts.tool}, node ${nodeVersion}, ${machine.nproc} CPU(s)` +
    `${opts.pinned ? ', pinned' : ', not pinned (no taskset)'}; OTLP sink ${sink.url}`,
);
for (const s of skipped) log(`skip ${s.variant}/${s.app}: ${s.reason}`);

const records = {};
let failures = 0;
for (let round = 0; round < opts.rounds; round += 1) {
  for (const [appId, variants] of runnable) {
    records[appId] ??= {};
    for (const variantId of [...variants]) {
      records[appId][variantId] ??= Array(opts.rounds).fill(null);
      const tag = `round ${round + 1}/${opts.rounds} ${appId} ${variantId}`;
      try {
        const r = await measureOnce({ variantId, appId, opts, ctx }).catch((error) => {
          // One retry: on a shared machine a server can be lost to something outside the run.
          log(`${tag}: retrying after ${String(error.message ?? error).split('\n')[0]}`);
          return measureOnce({ variantId, appId, opts, ctx });
        });
        records[appId][variantId][round] = r;
        const errors = r.saturation.errors + r.saturation.non2xx;
        log(
          `${tag}: ${Math.round(r.saturation.rps)} req/s, ${r.cpuUsPerRequest.toFixed(1)} CPU µs/req, ` +
            `p99 ${r.fixed.p99?.toFixed(2)} ms @${r.fixed.rate}/s, start-up ${Math.round(r.startupMs.at(-1))} ms, ` +
            `RSS ${Math.round(r.rssLoadBytes / 2 ** 20)} MB; CPU 0: server ${Math.round(r.serverCore.serverPct)}%, ` +
            `other ${Math.round(r.serverCore.otherPct)}%, steal ${Math.round(r.serverCore.stealPct)}%` +
            `${errors ? `; ${errors} load errors` : ''}`,
        );
      } catch (error) {
        failures += 1;
        const reason = String(error.message ?? error);
        log(`${tag}: FAILED ${reason}`);
        skipped.push({
          app: appId,
          variant: variantId,
          round: round + 1,
          reason: reason.split('\n')[0],
          detail: reason,
        });
        variants.splice(variants.indexOf(variantId), 1); // do not retry it in later rounds
      }
    }
  }
}

const rows = aggregate(records, opts.apps, opts.variants);
const result = { date: new Date().toISOString(), machine, options: opts, rows, skipped, records };
log(`\n${consoleTable(rows)}`);
const out = resolve(BENCH_DIR, opts.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
log(`wrote ${out}`);
if (opts.readme && rows.length > 0) {
  rewriteReadme(join(BENCH_DIR, 'README.md'), readmeSection(result, rows));
  log(`updated ${join(BENCH_DIR, 'README.md')}`);
}
if (upstream) await stop(upstream.child, 'SIGTERM', 1000);
await sink.close();
rmSync(codeCacheDir, { recursive: true, force: true });
// Targets never fail the run; a variant that could not be measured does.
process.exit(failures > 0 ? 1 : 0);
