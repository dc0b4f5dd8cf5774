import { fileSchema } from './schema';
import { keysAt } from './schema-keys';
import type { ConfigIssue } from './types';
import { type NodePlace, readYaml } from './yaml-source';
import { expectedText, fromZodIssues } from './zod-issues';

/** strata.yaml validated and normalised (durations in ms, sizes in bytes, rates per second). */
export interface ParsedFile {
  data: Record<string, unknown>;
  places: Map<string, NodePlace>;
  issues: ConfigIssue[];
  /** The file asks for `strict: true`, read even when the rest is invalid (a bad file must still be fatal). */
  strict: boolean;
  /** The instrumentation lists as written, for conflict checks. */
  written: { disabled?: string[]; enabled?: string[] };
}

/** Read, substitute and validate strata.yaml text; every problem found is in `issues`. */
export function parseFile(text: string, file: string, env: NodeJS.ProcessEnv): ParsedFile {
  const source = readYaml(text, file, env);
  const strict = isObject(source.data)
    ? source.data.strict === true
    : /^strict:[ \t]*true[ \t]*(#.*)?$/m.test(text);
  const empty = { data: {}, places: source.places, written: {}, strict };
  if (source.data === undefined) return { ...empty, issues: source.issues };
  const schema = fileSchema();
  // jitless: a config is parsed once, so compiling a fast path costs more than it saves (~10 ms).
  const result = schema.safeParse(dropNullKeys(source.data), {
    reportInput: true,
    error: expectedText,
    jitless: true,
  });
  if (result.success && source.issues.length === 0) {
    return {
      strict,
      data: result.data as Record<string, unknown>,
      places: source.places,
      issues: [],
      written: result.data.instrumentations ?? {},
    };
  }
  // A value whose `${VAR}` failed is reported once, for the variable.
  const substituted = new Set(source.issues.map((i) => i.path));
  const context = {
    file,
    places: source.places,
    keysAt: (path: readonly PropertyKey[]) => keysAt(schema, path),
  };
  const invalid = result.success
    ? []
    : fromZodIssues(result.error.issues, context).filter((i) => !substituted.has(i.path));
  const issues = [...source.issues, ...invalid].sort((a, b) => a.line - b.line || a.col - b.col);
  return { ...empty, issues };
}

/** `key:` with no value (its children commented out, say) means "not set", as if the key were absent. */
export function dropNullKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNullKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([, child]) => child !== null);
  return Object.fromEntries(entries.map(([key, child]) => [key, dropNullKeys(child)]));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
