import { describe, expect, it } from 'vitest';
import { type ConfigIssue, formatIssue, parseConfig, StrataConfigError } from '../src/index';

const issue: ConfigIssue = {
  file: 'strata.yaml',
  line: 4,
  col: 13,
  path: 'sampling.baseline',
  value: 1.5,
  expected: 'a probability between 0 and 1',
  message: '1.5 is out of range — expected a probability between 0 and 1',
};

function errorOf(text: string): StrataConfigError {
  try {
    parseConfig(text, { file: 'strata.yaml', env: {}, cwd: __dirname });
  } catch (error) {
    if (error instanceof StrataConfigError) return error;
  }
  throw new Error('no StrataConfigError');
}

describe('formatIssue', () => {
  it.each([
    [
      issue,
      'strata.yaml:4:13 sampling.baseline: 1.5 is out of range — expected a probability between 0 and 1',
    ],
    [
      { ...issue, path: '', message: 'YAML syntax error: x' },
      'strata.yaml:4:13 YAML syntax error: x',
    ],
    [
      { ...issue, line: 0, col: 0 },
      'strata.yaml sampling.baseline: 1.5 is out of range — expected a probability between 0 and 1',
    ],
    [
      {
        ...issue,
        file: undefined,
        line: 0,
        col: 0,
        env: 'OTEL_LOG_LEVEL',
        path: 'log_level',
        message: '"x" is not valid',
      },
      'OTEL_LOG_LEVEL (log_level): "x" is not valid',
    ],
  ])('%#: %s', (input, text) => {
    expect(formatIssue(input as ConfigIssue)).toBe(text);
  });
});

describe('StrataConfigError', () => {
  it('has a fixed code and lists every issue', () => {
    const error = new StrataConfigError([issue, issue]);
    expect(error.code).toBe('STRATA_CONFIG_INVALID');
    expect(error.name).toBe('StrataConfigError');
    expect(error.message).toBe(
      `Invalid Strata configuration (2 problems):\n  ${formatIssue(issue)}\n  ${formatIssue(issue)}`,
    );
  });

  describe('strict', () => {
    it('is true when the invalid file asks for strict: true', () => {
      expect(errorOf('strict: true\nsampling:\n  baseline: 2\n').strict).toBe(true);
    });

    it('is read even when the YAML does not parse', () => {
      expect(errorOf('strict: true\nsampling: [\n').strict).toBe(true);
      expect(errorOf('sampling: [\n').strict).toBe(false);
    });

    it('is false otherwise', () => {
      expect(errorOf('strict: false\nsampling:\n  baseline: 2\n').strict).toBe(false);
      expect(errorOf('sampling:\n  baseline: 2\n').strict).toBe(false);
    });
  });
});
