import type { ConfigIssue } from './types';

/** One issue as a line: `strata.yaml:4:13 sampling.baseline: 1.5 is out of range — expected …`. */
export function formatIssue(issue: ConfigIssue): string {
  if (issue.env !== undefined) return `${issue.env} (${issue.path}): ${issue.message}`;
  const file = issue.file ?? '(configuration)';
  const where = issue.line > 0 ? `${file}:${issue.line}:${issue.col}` : file;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where} ${issue.message}`;
}

/** strata.yaml or the environment is invalid; `issues` lists every problem found, not just the first. */
export class StrataConfigError extends Error {
  readonly code = 'STRATA_CONFIG_INVALID';
  readonly issues: ConfigIssue[];
  /** The file asked for `strict: true`: the caller must not carry on without telemetry. */
  readonly strict: boolean;

  constructor(issues: ConfigIssue[], strict = false) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(
      `Invalid Strata configuration (${count}):\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`,
    );
    this.name = 'StrataConfigError';
    this.issues = issues;
    this.strict = strict;
  }
}

/** An explicitly named configuration file ($STRATA_CONFIG, `--file`, `options.file`) does not exist. */
export class StrataConfigNotFoundError extends Error {
  readonly code = 'STRATA_CONFIG_NOT_FOUND';
  readonly file: string;

  constructor(file: string, from: string) {
    super(`Strata configuration file not found: ${file} (named by ${from})`);
    this.name = 'StrataConfigNotFoundError';
    this.file = file;
  }
}
