import type { ValueSource } from '@strata/config';

type Plain = Record<string, unknown>;

// Normalised values read back in the units strata.yaml is written in.
const DURATION_KEYS = new Set([
  'timeout',
  'delay',
  'window',
  'floor',
  'ceiling',
  'grace',
  'root_timeout',
  'interval',
  'over',
]);
const COMMENT_COLUMN = 48;

/** Where a value came from, as `strata check` prints it: `strata.yaml:12`, `env OTEL_SERVICE_NAME`, `default`. */
export function sourceText(source: ValueSource | undefined): string {
  if (source === undefined || source.kind === 'default') return 'default';
  if (source.kind === 'env') return `env ${source.name}`;
  return `${source.file}:${source.line}`;
}

/** Milliseconds as the shortest exact duration: 500ms, 2s, 1.5s, 5m. */
export function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function formatScalar(key: string, value: unknown): string {
  if (typeof value === 'number') {
    if (DURATION_KEYS.has(key)) return formatMs(value);
    if (key === 'budget') return `${value}/s`;
    if (key === 'max_bytes') return value % 1e6 === 0 ? `${value / 1e6}MB` : `${value}B`;
    return String(value);
  }
  if (typeof value !== 'string') return String(value);
  // Plain when YAML would read it back as the same string; double-quoted (JSON is valid YAML) otherwise.
  const plain =
    /^[A-Za-z0-9_./][A-Za-z0-9_./@:+-]*$/.test(value) &&
    !/^(true|false|yes|no|on|off|null|~)$/i.test(value) &&
    !Number.isFinite(Number(value)) &&
    !value.includes(': ');
  return plain ? value : JSON.stringify(value);
}

function inline(key: string, value: unknown): string | undefined {
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object'))
    return `[${value.map((v) => formatScalar(key, v)).join(', ')}]`;
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0)
    return Array.isArray(value) ? '[]' : '{}';
  if (typeof value !== 'object' || value === null) return formatScalar(key, value);
  return undefined;
}

/** The effective configuration as YAML-like `key: value` lines, each leaf with its source as a comment. */
export function formatEffective(config: object, sourceOf: (path: string) => string): string {
  const lines: string[] = [];
  const line = (text: string, path: string) =>
    lines.push(`${text.padEnd(COMMENT_COLUMN - 1)} # ${sourceOf(path)}`);
  const walk = (value: Plain | unknown[], path: string[], indent: string) => {
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      const isItem = Array.isArray(value);
      // A list item's first key goes on the `- ` line.
      const label = isItem ? '' : `${key}: `;
      const text = inline(key, child);
      if (text !== undefined) {
        line(`${indent}${isItem ? '- ' : ''}${label}${text}`, childPath.join('.'));
        continue;
      }
      if (isItem) {
        const before = lines.length;
        walk(child as Plain, childPath, `${indent}  `);
        const nested = lines.splice(before);
        if (nested.length > 0) nested[0] = `${indent}- ${nested[0].slice(indent.length + 2)}`;
        lines.push(...nested);
        continue;
      }
      lines.push(`${indent}${key}:`);
      walk(child as Plain, childPath, `${indent}  `);
    }
  };
  walk(config as Plain, [], '');
  return `${lines.join('\n')}\n`;
}
