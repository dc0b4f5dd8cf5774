import { parseArgs } from 'node:util';
import {
  type LoadedConfig,
  loadConfig,
  StrataConfigError,
  StrataConfigNotFoundError,
  type ValueSource,
} from '@strata/config';
import { formatEffective, sourceText } from '../format-effective';
import type { CommandIo } from '../io';

const HELP = `Usage: strata check [file] [--json]

Validate a Strata configuration and print the effective values with where each came from
(the file and line, an environment variable, or the default).

  file      the file to check; else $STRATA_CONFIG, else ./strata.yaml or ./strata.yml
  --json    print machine-readable output
  --help    show this help

Exit codes: 0 valid, 1 invalid or not found, 2 bad usage.
`;

/** `strata check [file] [--json]`: validate and print the effective configuration. */
export function check(args: string[], io: CommandIo): number {
  let parsed: ReturnType<typeof parseCheckArgs>;
  try {
    parsed = parseCheckArgs(args);
  } catch (error) {
    io.err(`strata check: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (parsed.positionals.length > 1) {
    io.err(`strata check: one file at most, got ${parsed.positionals.length}\n\n${HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(HELP);
    return 0;
  }
  const json = parsed.values.json === true;
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig({ env: io.env, cwd: io.cwd, file: parsed.positionals[0] });
  } catch (error) {
    if (!(error instanceof StrataConfigError || error instanceof StrataConfigNotFoundError))
      throw error;
    if (json) {
      const issues = error instanceof StrataConfigError ? error.issues : [];
      io.out(
        `${JSON.stringify({ valid: false, code: error.code, message: error.message, issues }, null, 2)}\n`,
      );
    } else io.err(`${error.message}\n`);
    return 1;
  }
  if (json) {
    const sources: Record<string, ValueSource> = Object.fromEntries(loaded.sources);
    io.out(
      `${JSON.stringify({ valid: true, file: loaded.file ?? null, config: loaded.config, sources }, null, 2)}\n`,
    );
    return 0;
  }
  const header = loaded.file
    ? `# ${loaded.file}: valid`
    : '# no strata.yaml found: defaults and environment';
  io.out(
    `${header}\n${formatEffective(loaded.config, (path) => sourceText(loaded.sources.get(path)))}`,
  );
  return 0;
}

function parseCheckArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
}
