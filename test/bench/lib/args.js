// Command-line options of run.js: a full run by default, a short smoke run with --quick.
import { parseArgs } from 'node:util';
import { APPS } from './apps.js';
import { VARIANTS } from './variants.js';

/** Usage text printed by --help. */
export const USAGE = `Usage: node test/bench/run.js [options]
  --variants a,b     variants to run (${Object.keys(VARIANTS).join(', ')}); default: all
  --apps a,b         apps to run (${Object.keys(APPS).join(', ')}); default: all
  --rounds N         interleaved rounds (default 3; --quick: 1)
  --duration S       saturation seconds per measurement (default 10; --quick: 2)
  --warmup S         warm-up seconds before it (default 10; --quick: 1)
  --rate R           fixed request rate for p50/p99 (default: hello 1000, shop 200)
  --fixed S          seconds at the fixed rate (default 10; --quick: 2)
  --startups N       start-ups timed per round (default 3; --quick: 1)
  --connections N    saturation connections (default 64)
  --tool wrk|autocannon   load generator (default: wrk when installed)
  --quick            smoke mode for CI: all of the short settings above
  --out FILE         JSON output (default results/latest.json; --quick: results/quick.json)
  --readme / --no-readme  rewrite README.md results (default: yes unless --quick)
  --render FILE      no measuring: re-render the table (and README) from a results JSON`;

const list = (value, known, what) => {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !(id in known));
  if (unknown.length) throw new Error(`unknown ${what}: ${unknown.join(', ')}`);
  return ids;
};

const positive = (value, name) => {
  const n = Number(value);
  if (!(n > 0)) throw new Error(`--${name} must be a positive number, got "${value}"`);
  return n;
};

/** Parse argv into the options of a run. */
export function readOptions(argv) {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      variants: { type: 'string' },
      apps: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rate: { type: 'string' },
      fixed: { type: 'string' },
      startups: { type: 'string' },
      connections: { type: 'string' },
      tool: { type: 'string' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      readme: { type: 'boolean' },
      'no-readme': { type: 'boolean' },
      render: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const q = v.quick;
  if (v.tool && v.tool !== 'wrk' && v.tool !== 'autocannon') {
    throw new Error(`--tool must be wrk or autocannon, got "${v.tool}"`);
  }
  return {
    help: v.help,
    render: v.render,
    quick: q,
    variants: v.variants ? list(v.variants, VARIANTS, 'variant') : Object.keys(VARIANTS),
    apps: v.apps ? list(v.apps, APPS, 'app') : Object.keys(APPS),
    rounds: Math.round(positive(v.rounds ?? (q ? 1 : 3), 'rounds')),
    durationS: positive(v.duration ?? (q ? 2 : 10), 'duration'),
    warmupS: positive(v.warmup ?? (q ? 1 : 10), 'warmup'),
    rate: v.rate === undefined ? null : positive(v.rate, 'rate'),
    fixedS: positive(v.fixed ?? (q ? 2 : 10), 'fixed'),
    startups: Math.round(positive(v.startups ?? (q ? 1 : 3), 'startups')),
    connections: Math.round(positive(v.connections ?? 64, 'connections')),
    tool: v.tool,
    out: v.out ?? (q ? 'results/quick.json' : 'results/latest.json'),
    readme: v['no-readme'] ? false : (v.readme ?? !q),
    settleMs: q ? 300 : 1000,
    sigtermGraceMs: q ? 1000 : 2000,
  };
}
