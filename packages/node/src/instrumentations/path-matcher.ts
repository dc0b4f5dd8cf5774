import { compileGlob } from '@strata/sampling';

/**
 * Compile `instrumentations.http.ignore_paths` into one predicate: exact
 * paths, or globs where `*` matches any run of characters (the globs of
 * outlier rules). Undefined when there is nothing to ignore, so the hot path
 * can skip the call.
 */
export function compilePathMatcher(
  patterns: readonly string[],
): ((path: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const exact = new Set(patterns.filter((p) => !p.includes('*')));
  const globs = patterns.filter((p) => p.includes('*')).map(compileGlob);
  return (path) => exact.has(path) || globs.some((matches) => matches(path));
}
