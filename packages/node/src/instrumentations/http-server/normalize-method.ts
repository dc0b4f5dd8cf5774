// Semconv's known methods (the stock instrumentation's list, with QUERY).
const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
]);

/** `http.request.method`: the upper-cased method when known, else `_OTHER` (bounded cardinality). */
export function normalizeMethod(method: string | undefined): string {
  if (method === undefined || method === '') return 'GET';
  // Node's parser hands over known methods upper-case already: skip the copy.
  if (KNOWN_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}
