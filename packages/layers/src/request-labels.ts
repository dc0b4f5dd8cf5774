/** Value of `http.route` past the route limit. */
export const OTHER_ROUTE = '_other';
/** Value of `http.request.method` for methods outside the semantic-convention list. */
export const OTHER_METHOD = '_OTHER';

// Semantic conventions `http.request.method` known values.
const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'QUERY',
  'TRACE',
]);

/** `http.request.method` as the semantic conventions want it: a known method (any case) or `_OTHER`. */
export function normalizeMethod(method: string): string {
  if (KNOWN_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : OTHER_METHOD;
}

/** Admits the first `max` distinct values, then answers `other` for new ones. */
export class BoundedValues {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly other: string,
  ) {}

  /** The value itself while under the limit (or already seen), else the overflow value. */
  admit(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return this.other;
    this.seen.add(value);
    return value;
  }
}
