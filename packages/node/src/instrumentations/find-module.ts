import { statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';

const BUILTINS = new Set(builtinModules);

/**
 * Whether the application can load `name`: a builtin, or a package directory
 * in a `node_modules` above one of `fromDirs`. A few `stat` calls instead of
 * `require.resolve`, which would trip over `exports` maps and ESM-only packages.
 */
export function canLoadModule(name: string, fromDirs: readonly string[]): boolean {
  if (BUILTINS.has(name) || name.startsWith('node:')) return true;
  for (const start of fromDirs) {
    let dir = start;
    for (;;) {
      if (isFile(join(dir, 'node_modules', name, 'package.json'))) return true;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return false;
}

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

/** Directories the application resolves modules from: its entry script's folder and the working directory. */
export function applicationDirs(
  argv: readonly string[] = process.argv,
  cwd = process.cwd(),
): string[] {
  const dirs = [cwd];
  const entry = argv[1];
  if (entry && !entry.startsWith('-')) dirs.unshift(dirname(entry));
  return dirs;
}
