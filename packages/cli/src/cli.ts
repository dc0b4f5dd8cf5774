import { check } from './commands/check';
import { collectorConfig } from './commands/collector-config';
import { report } from './commands/report';
import { type CommandIo, processIo } from './io';

/** A subcommand: gets its own arguments, returns the exit code. */
export type Command = (args: string[], io: CommandIo) => number | Promise<number>;

// Other issues add `report`, `collector-config` and `demo` here.
const COMMANDS: Record<string, { run: Command; summary: string }> = {
  check: { run: check, summary: 'validate strata.yaml and print the effective configuration' },
  'collector-config': { run: collectorConfig, summary: 'render sampling as Collector tiers' },
  report: {
    run: report,
    summary: 'layers, outliers and sampling of exported traces (file or Jaeger)',
  },
};

/** The usage text listing every subcommand. */
export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`,
  );
  return `Usage: strata <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun strata <command> --help for the options of a command.\n`;
}

/** Run the `strata` command line; resolves to the exit code (2 for usage errors). */
export function main(argv: string[], io: CommandIo = processIo()): number | Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return 0;
  }
  const command =
    name === undefined ? undefined : Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.err(
      `${name === undefined ? 'strata: no command given' : `strata: unknown command "${name}"`}\n\n${usage()}`,
    );
    return 2;
  }
  return command.run(args, io);
}
