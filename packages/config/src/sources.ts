import type { ValueSource } from './types';
import type { NodePlace } from './yaml-source';

// `prometheus: true` turns a mapping on with its defaults: its leaves read as defaults, not as the file.

const isLeaf = (value: unknown): boolean =>
  typeof value !== 'object' ||
  value === null ||
  (Array.isArray(value)
    ? value.every((v) => typeof v !== 'object')
    : Object.keys(value).length === 0);

/** Every dotted leaf path of a value (lists of scalars and empty mappings count as leaves). */
export function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (isLeaf(value)) return prefix.length > 0 ? [prefix] : [];
  return Object.entries(value as object).flatMap(([key, child]) =>
    leafPaths(child, [...prefix, key]),
  );
}

/** What is known about where values came from. */
export interface SourceFacts {
  file?: string;
  places: Map<string, NodePlace>;
  env: Map<string, string>;
  /** Paths set outside strata.yaml and the environment (the package.json name). */
  extra: Map<string, ValueSource>;
}

/** The source of every leaf of the effective configuration. */
export function sourcesOf(config: object, facts: SourceFacts): Map<string, ValueSource> {
  const sources = new Map<string, ValueSource>();
  const find = (path: string[]): ValueSource => {
    const key = path.join('.');
    const extra = facts.extra.get(key);
    if (extra) return extra;
    const exact = facts.places.get(key);
    if (exact && facts.file) return { kind: 'file', file: facts.file, ...exact.value };
    const env = facts.env.get(key);
    if (env) return { kind: 'env', name: env };
    // OTLP metrics inherit what they do not set from exporters.otlp.
    if (key.startsWith('exporters.metrics.otlp.') && path[3] !== 'interval')
      return find(['exporters', 'otlp', ...path.slice(3)]);
    return { kind: 'default' };
  };
  for (const path of leafPaths(config)) sources.set(path.join('.'), find(path));
  return sources;
}
