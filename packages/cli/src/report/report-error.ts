/** A problem with the report's input: a missing or malformed file, an unreachable Jaeger. */
export class StrataReportError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'StrataReportError';
    this.code = code;
  }
}
