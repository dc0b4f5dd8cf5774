/** A compiled glob: `*` matches any run of characters (including none), everything else is literal. */
export type GlobMatcher = (text: string) => boolean;

/** Compile a glob once; patterns without `*` compare by equality and a lone `*` matches everything. */
export function compileGlob(pattern: string): GlobMatcher {
  if (pattern === '*') return () => true;
  if (!pattern.includes('*')) return (text) => text === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`, 's');
  return (text) => re.test(text);
}
