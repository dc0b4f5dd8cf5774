import { DEFAULT_METRICS_INTERVAL, defaultConfig } from './defaults';
import { DEFAULT_DISABLED_INSTRUMENTATIONS } from './names';
import type { OtlpConfig, StrataConfig } from './types';

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Overlay `over` on `base`: mappings merge key by key, anything else (lists included) replaces. */
export function overlay(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlain(over) || !isPlain(base)) return isPlain(over) ? overlay({}, over) : over;
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = overlay(base[key], value);
  return out;
}

/** Whether the file wrote a value at a dotted path. */
export type WrittenIn = (path: string) => boolean;

/**
 * The effective configuration: defaults, then `OTEL_*` variables, then the file (the file wins
 * where it sets a field), then the values that depend on others.
 */
export function resolve(envData: Plain, fileData: Plain, inFile: WrittenIn): StrataConfig {
  const defaults = defaultConfig();
  const config = overlay(overlay(defaults, envData), fileData) as StrataConfig;
  const { exporters, sampling, instrumentations } = config;
  // A file that sets the base endpoint means it, over a signal URL from the environment.
  if (inFile('exporters.otlp.endpoint') && !inFile('exporters.otlp.url')) delete exporters.otlp.url;
  // `true` / partial mappings were read as "on, with defaults for what is missing".
  if (exporters.metrics.prometheus)
    exporters.metrics.prometheus = {
      ...(defaults.exporters.metrics.prometheus as object),
      ...exporters.metrics.prometheus,
    } as { host: string; port: number };
  if (sampling.outliers.slow)
    sampling.outliers.slow = {
      ...(defaults.sampling.outliers.slow as object),
      ...sampling.outliers.slow,
    } as StrataConfig['sampling']['outliers']['slow'];
  if (exporters.metrics.otlp) {
    const { url: _signalUrl, ...base } = exporters.otlp;
    const own: Partial<OtlpConfig & { interval: number }> = exporters.metrics.otlp;
    exporters.metrics.otlp = {
      ...base,
      interval: DEFAULT_METRICS_INTERVAL,
      ...own,
      headers: { ...base.headers, ...own.headers },
    };
  }
  sampling.outliers.rules = sampling.outliers.rules.map((rule) => ({
    ...rule,
    keep: rule.keep ?? true,
  }));
  // `disabled` adds to the instrumentations that are off by default; `enabled` turns those back on.
  const off = new Set([...DEFAULT_DISABLED_INSTRUMENTATIONS, ...instrumentations.disabled]);
  for (const name of instrumentations.enabled) off.delete(name);
  instrumentations.disabled = [...off];
  return config;
}
