import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandIo } from '../io';
import { buildReport } from '../report/build-report';
import { readJaeger } from '../report/read-jaeger';
import { readOtlpFile } from '../report/read-otlp-file';
import { renderHtml } from '../report/render-html';
import { renderText } from '../report/render-text';
import { StrataReportError } from '../report/report-error';
import type { ReportSpan } from '../report/types';

const HELP = `Usage: strata report (--file <traces.jsonl>... | --jaeger <url>) [options]

Per route: where the time went by layer (share, mean, p50, p99) and over time; the outliers
Strata kept (reason, duration, dominant layer, trace id); what the sampling kept and how many
requests that stands for.

  --file <path>       OTLP JSON lines written by the file exporter (repeat for several services)
  --jaeger <url>      read from Jaeger's query API, e.g. http://localhost:16686
  --service <name>    with --jaeger: the services to read (repeatable; default all)
  --limit <n>         with --jaeger: traces per service (default 1000)
  --lookback <d>      with --jaeger: how far back, e.g. 15m, 1h (default 1h)
  --jaeger-ui <url>   link outliers to this Jaeger UI (default: the --jaeger URL)
  --html <out.html>   also write a self-contained HTML page with charts
  --json              print the report as JSON
  --help              show this help

Exit codes: 0 report printed, 1 unreadable input or no traces, 2 bad usage.
`;

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      file: { type: 'string', multiple: true },
      jaeger: { type: 'string' },
      'jaeger-ui': { type: 'string' },
      service: { type: 'string', multiple: true },
      limit: { type: 'string' },
      lookback: { type: 'string' },
      html: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** `strata report --file <traces.jsonl> | --jaeger <url>`: layers, outliers and sampling of exported traces. */
export async function report(args: string[], io: CommandIo): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (error) {
    io.err(`strata report: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const files = values.file ?? [];
  if (files.length > 0 === (values.jaeger !== undefined)) {
    io.err(`strata report: give --file or --jaeger (one of them)\n\n${HELP}`);
    return 2;
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    io.err(`strata report: --limit must be a positive integer, got "${values.limit}"\n`);
    return 2;
  }
  const jaegerUi = values['jaeger-ui'] ?? values.jaeger;
  let spans: ReportSpan[];
  let sources: string[];
  try {
    if (values.jaeger !== undefined) {
      try {
        new URL(values.jaeger);
      } catch {
        io.err(
          `strata report: --jaeger must be a URL such as http://localhost:16686, got "${values.jaeger}"\n`,
        );
        return 2;
      }
      spans = await readJaeger(values.jaeger, {
        services: values.service,
        limit,
        lookback: values.lookback,
      });
      sources = [values.jaeger];
    } else {
      sources = files.map((f) => resolve(io.cwd, f));
      spans = [];
      for (const file of sources) spans.push(...readOtlpFile(file));
    }
  } catch (error) {
    if (!(error instanceof StrataReportError)) throw error;
    if (values.json)
      io.out(
        `${JSON.stringify({ error: { code: error.code, message: error.message } }, null, 2)}\n`,
      );
    else io.err(`strata report: ${error.message}\n`);
    return 1;
  }
  const built = buildReport(spans, { sources, jaegerUrl: jaegerUi });
  if (built.routes.length === 0) {
    const message = `no request traces in ${sources.join(', ')} (${spans.length} spans, no local root among them); is the service running under Strata with a trace exporter?`;
    if (values.json)
      io.out(`${JSON.stringify({ error: { code: 'STRATA_REPORT_EMPTY', message } }, null, 2)}\n`);
    else io.err(`strata report: ${message}\n`);
    return 1;
  }
  if (values.html !== undefined) {
    const out = resolve(io.cwd, values.html);
    writeFileSync(out, renderHtml(built));
    if (!values.json) io.err(`strata report: wrote ${out}\n`);
  }
  io.out(values.json ? `${JSON.stringify(built, null, 2)}\n` : renderText(built));
  return 0;
}
