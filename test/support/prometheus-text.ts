// A small parser for the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format).
// The npm parsers found (parse-prometheus-text-format, prom2javascript) are
// unmaintained, untyped and group samples into families; tests want flat
// samples, so this file parses lines itself.

/** One sample line: `name{labels} value`. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

/** A parsed exposition with lookup helpers. */
export interface PromExposition {
  samples: PromSample[];
  /** `# TYPE` by metric family name. */
  types: Record<string, string>;
  /** `# UNIT` by metric family name (OpenMetrics; OpenTelemetry's exporter writes it). */
  units: Record<string, string>;
  /** `# HELP` by metric family name. */
  help: Record<string, string>;
  /** Samples of `name` whose labels include every given label. */
  samplesOf(name: string, labels?: Record<string, string>): PromSample[];
  /** The first such sample, or undefined. */
  sample(name: string, labels?: Record<string, string>): PromSample | undefined;
  /** The sum of the values of those samples (0 when none). */
  sum(name: string, labels?: Record<string, string>): number;
}

function unescapeText(text: string, help: boolean): string {
  return text.replace(/\\(.)/g, (_m, c: string) =>
    c === 'n' ? '\n' : c === '\\' ? '\\' : c === '"' && !help ? '"' : `\\${c}`,
  );
}

function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  if (Number.isNaN(value) && text !== 'NaN') throw new Error(`bad sample value "${text}"`);
  return value;
}

/** Parse `{a="x",b="y"}` starting at `text[start] === '{'`; returns labels and the index after `}`. */
function parseLabels(text: string, start: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  const label = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,?)/y;
  let i = start + 1;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return [labels, i + 1];
    label.lastIndex = i;
    const match = label.exec(text);
    if (!match) throw new Error(`bad labels at column ${i + 1}`);
    labels[match[1]] = unescapeText(match[2], false);
    i = label.lastIndex;
    if (!match[3] && text[i] !== '}') throw new Error(`expected "," or "}" at column ${i + 1}`);
  }
}

function parseSample(line: string): PromSample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) throw new Error('no metric name');
  let labels: Record<string, string> = {};
  let rest = line.slice(name.length);
  if (rest.startsWith('{')) {
    const [parsed, end] = parseLabels(line, name.length);
    labels = parsed;
    rest = line.slice(end);
  }
  const [value, timestamp, extra] = rest.trim().split(/\s+/);
  if (value === undefined || value === '' || extra !== undefined) throw new Error('bad value');
  const sample: PromSample = { name, labels, value: parseValue(value) };
  if (timestamp !== undefined) sample.timestamp = Number(timestamp);
  return sample;
}

const matches = (sample: PromSample, labels: Record<string, string> = {}) =>
  Object.entries(labels).every(([k, v]) => sample.labels[k] === v);

/** Parse a Prometheus text exposition; throws naming the line that is malformed. */
export function parsePrometheusText(text: string): PromExposition {
  const samples: PromSample[] = [];
  const types: Record<string, string> = {};
  const help: Record<string, string> = {};
  const units: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const meta = /^#\s*(HELP|TYPE|UNIT)\s+(\S+)\s?(.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') types[meta[2]] = meta[3].trim();
      else if (meta[1] === 'UNIT') units[meta[2]] = meta[3].trim();
      else help[meta[2]] = unescapeText(meta[3], true);
      return;
    }
    if (line.startsWith('#')) return;
    try {
      samples.push(parseSample(line));
    } catch (error) {
      throw new Error(`prometheus text line ${index + 1}: ${(error as Error).message}: ${raw}`);
    }
  });
  const samplesOf = (name: string, labels?: Record<string, string>) =>
    samples.filter((s) => s.name === name && matches(s, labels));
  return {
    samples,
    types,
    units,
    help,
    samplesOf,
    sample: (name, labels) => samplesOf(name, labels)[0],
    sum: (name, labels) => samplesOf(name, labels).reduce((total, s) => total + s.value, 0),
  };
}

/** GET a /metrics endpoint and parse it; throws on a non-2xx answer. */
export async function scrape(url: string, timeoutMs = 5000): Promise<PromExposition> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  if (!res.ok) throw new Error(`scrape ${url}: HTTP ${res.status}: ${body.slice(0, 200)}`);
  return parsePrometheusText(body);
}
