import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { crossCheck } from './cross-checks';
import { readEnv } from './env';
import { StrataConfigError, StrataConfigNotFoundError } from './errors';
import { packageName } from './package-name';
import { type ParsedFile, parseFile } from './parse-file';
import { resolve } from './resolve';
import { sourcesOf } from './sources';
import type { LoadedConfig, LoadOptions, ParseOptions, ValueSource } from './types';

/** Config file names looked for in the working directory, in order. */
export const CONFIG_FILE_NAMES = ['strata.yaml', 'strata.yml'] as const;

/** The file `loadConfig` reads: `options.file`, else `$STRATA_CONFIG`, else `<cwd>/strata.yaml` or `strata.yml`. */
export function findConfigFile(options: LoadOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const named = options.file ?? (env.STRATA_CONFIG || undefined);
  if (named !== undefined) {
    const file = resolvePath(cwd, named);
    if (!existsSync(file))
      throw new StrataConfigNotFoundError(
        file,
        options.file !== undefined ? 'the file option' : 'STRATA_CONFIG',
      );
    return file;
  }
  return CONFIG_FILE_NAMES.map((name) => resolvePath(cwd, name)).find((file) => existsSync(file));
}

/** Load the effective configuration; throws StrataConfigError listing every problem, StrataConfigNotFoundError for a missing named file. */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = findConfigFile(options);
  if (file === undefined) return build(NO_FILE, env, cwd);
  const shown = relative(cwd, file);
  const name = shown.startsWith('..') || isAbsolute(shown) ? file : shown;
  const loaded = parseConfig(readFileSync(file, 'utf8'), { file: name, env, cwd });
  return { ...loaded, file };
}

/** Parse strata.yaml text (pure but for reading `<cwd>/package.json` for the service name). */
export function parseConfig(text: string, options: ParseOptions): LoadedConfig {
  const parsed = parseFile(text, options.file, options.env);
  return build({ ...parsed, file: options.file }, options.env, options.cwd ?? process.cwd());
}

const NO_FILE: FileFacts = {
  file: undefined,
  data: {},
  places: new Map(),
  issues: [],
  strict: false,
  written: {},
};

type FileFacts = ParsedFile & { file: string | undefined };

// File layer + environment + defaults → the effective configuration, or every problem found.
function build(parsed: FileFacts, env: NodeJS.ProcessEnv, cwd: string): LoadedConfig {
  const { file, places, strict } = parsed;
  const envLayer = readEnv(env);
  const issues = [...parsed.issues, ...envLayer.issues];
  if (parsed.issues.length > 0) throw new StrataConfigError(issues, strict);
  const config = resolve(envLayer.data, parsed.data, (path) => places.has(path));
  for (const cross of crossCheck(config, parsed.written)) {
    const place =
      places.get(cross.path) ?? places.get(cross.path.split('.').slice(0, -1).join('.'));
    const where = place ? place.value : { line: 0, col: 0 };
    issues.push({ file, ...where, ...cross });
  }
  if (issues.length > 0) throw new StrataConfigError(issues, strict);
  const extra = new Map<string, ValueSource>();
  if (!places.has('service.name') && !envLayer.sources.has('service.name')) {
    const pkg = packageName(cwd);
    if (pkg) {
      config.service.name = pkg.name;
      extra.set('service.name', pkg.source);
    }
  }
  const sources = sourcesOf(config, { file, places, env: envLayer.sources, extra });
  return { config, sources, file: file === undefined ? undefined : resolvePath(cwd, file) };
}
