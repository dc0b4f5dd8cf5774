import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import type { LogLevel } from '@strata/config';

const LEVELS: Record<LogLevel, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/** Prefix every diagnostic with `strata:` on stderr, so users know who speaks. */
function line(level: string) {
  return (message: string, ...args: unknown[]) => {
    const rest = args.length ? ` ${args.map(String).join(' ')}` : '';
    process.stderr.write(`strata ${level}: ${message.replace(/^strata: /, '')}${rest}\n`);
  };
}

const stderrLogger: DiagLogger = {
  error: line('error'),
  warn: line('warn'),
  info: line('info'),
  debug: line('debug'),
  verbose: line('verbose'),
};

/** Route OpenTelemetry diagnostics to stderr at the configured level (`OTEL_LOG_LEVEL`). */
export function setupDiagLogger(level: LogLevel): void {
  // `info` would print the SDK's chatter at every start; Strata's own
  // messages at info are few and go through `report` below.
  diag.setLogger(stderrLogger, {
    logLevel: LEVELS[level] === DiagLogLevel.INFO ? DiagLogLevel.WARN : LEVELS[level],
    suppressOverrideMessage: true,
  });
}

/** One message for the user on stderr, whatever the log level (bad config, start failure). */
export function report(message: string): void {
  process.stderr.write(`strata: ${message}\n`);
}
