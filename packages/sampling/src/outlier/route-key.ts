/**
 * Key of a route's latency window: method and `http.route`; roots without a
 * route share one window per method; non-HTTP roots are keyed by span name.
 * Never the raw path (unbounded cardinality).
 */
export function routeKey(
  method: string | undefined,
  route: string | undefined,
  name?: string,
): string {
  if (route !== undefined) return `${method ?? ''} ${route}`;
  if (method !== undefined || name === undefined) return `${method ?? ''} `;
  return `name:${name}`;
}
