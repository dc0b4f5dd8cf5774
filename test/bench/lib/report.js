// Render the aggregated rows: a console table, a Markdown table for the README, and the JSON file.
import { readFileSync, writeFileSync } from 'node:fs';
import Table from 'cli-table3';
import { TARGETS } from './aggregate.js';

const START = '<!-- results:start -->';
const END = '<!-- results:end -->';

const HEAD = [
  'app',
  'variant',
  'req/s (min–max)',
  'ratio',
  '+µs/req',
  'CPU µs/req (+added)',
  'CPU µs/req at rate (+added)',
  'p50 ms',
  'p99 ms (+added)',
  'start-up ms (+added; cold)',
  'RSS idle MB',
  'RSS load MB (+added)',
  'SIGTERM exits',
  'targets',
];

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const kilo = (x) => (Number.isFinite(x) ? `${(x / 1000).toFixed(1)}k` : '—');
const signed = (x, digits = 0) =>
  Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)}` : '—';

/** `pass`, `fail: <names>`, or `—` when no target applies to the row. */
export function targetSummary(targets) {
  const applicable = Object.entries(targets).filter(([, ok]) => ok !== null);
  if (applicable.length === 0) return '—';
  const failed = applicable.filter(([, ok]) => !ok).map(([name]) => name);
  return failed.length === 0 ? 'pass' : `fail: ${failed.join(', ')}`;
}

/** The cells of one row, as strings. */
export function cells(row) {
  return [
    row.app,
    row.variant,
    `${kilo(row.rps.median)} (${kilo(row.rps.min)}–${kilo(row.rps.max)})`,
    fmt(row.ratio.median, 2),
    row.variant === 'none' ? '—' : fmt(row.addedUs.median, 1),
    `${fmt(row.cpuUs.median, 1)} (${row.variant === 'none' ? '—' : signed(row.cpuAddedUs.median, 1)})`,
    `${fmt(row.cpuFixedUs.median, 1)} (${row.variant === 'none' ? '—' : signed(row.cpuFixedAddedUs.median, 1)})`,
    fmt(row.p50Ms.median, 2),
    `${fmt(row.p99Ms.median, 2)} (${row.variant === 'none' ? '—' : signed(row.p99AddedMs.median, 2)})`,
    `${fmt(row.startupMs.median)} (${row.variant === 'none' ? '—' : signed(row.startupAddedMs)}${
      Number.isFinite(row.startupColdAddedMs) ? `; ${signed(row.startupColdAddedMs)}` : ''
    })`,
    fmt(row.rssIdleMB.median),
    `${fmt(row.rssLoadMB.median)} (${row.variant === 'none' ? '—' : signed(row.rssAddedMB)})`,
    row.exitsOnSigterm === null ? '—' : row.exitsOnSigterm ? 'yes' : 'no',
    targetSummary(row.targets),
  ];
}

/** The console table. */
export function consoleTable(rows) {
  const table = new Table({ head: HEAD, style: { head: [], border: [] } });
  for (const row of rows) table.push(cells(row));
  return table.toString();
}

/** The Markdown table, columns padded the way the formatter (biome) lays them out. */
export function markdownTable(rows) {
  const body = rows.map(cells);
  const widths = HEAD.map((h, i) => Math.max(3, h.length, ...body.map((r) => r[i].length)));
  const line = (xs) => `| ${xs.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  return [line(HEAD), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** The README section: when, where, how, the table, the target legend, and what was skipped. */
export function readmeSection(result, rows) {
  const { machine, options: o } = result;
  const pinned = o.pinned ? 'server on CPU 0, load generators on CPU 1 (taskset)' : 'not pinned';
  const lines = [
    `Measured ${result.date} on ${machine.nproc} × ${machine.cpuModel}, Node ${machine.node}; ${pinned}.`,
    `${o.rounds} interleaved round(s); saturation ${o.durationS} s with ${o.tool} (${o.connections} connections) after ${o.warmupS} s warm-up; fixed rate ${o.rate ?? 'hello 1,000, shop 200'} req/s for ${o.fixedS} s; ${o.startups} start-up(s) per round. Medians; ranges are min–max over rounds.`,
    `CPU 0 time taken by other processes and steal during saturation: up to ${fmt(
      Math.max(...rows.map((r) => r.coreOtherPct.max)),
    )}% in one measurement (worst median ${fmt(Math.max(...rows.map((r) => r.coreOtherPct.median)))}%); where it is high, throughput and latency are noisy and CPU µs/req is the figure to trust.`,
    '',
    markdownTable(rows),
    '',
    `Targets: ${Object.entries(TARGETS)
      .map(([key, text]) => `\`${key}\` ${text}`)
      .join('; ')}.`,
  ];
  for (const s of result.skipped) {
    const when = s.round ? `lost in round ${s.round}` : 'skipped';
    lines.push('', `${s.variant}/${s.app} ${when}: ${s.reason}`);
  }
  return lines.join('\n');
}

/** Replace the text between the results markers of `path`. */
export function rewriteReadme(path, section) {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${path} has no ${START} … ${END} section`);
  const next = `${text.slice(0, start + START.length)}\n${section}\n${text.slice(end)}`;
  writeFileSync(path, next);
}
