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

/** `routeKey`, memoized: the same route always yields the same key string. */
export type RouteKeys = (
  method: string | undefined,
  route: string | undefined,
  name?: string,
) => string;

/**
 * Memoize `routeKey` for up to `maxEntries` keys (all forgotten at once past that). A key built
 * anew is a new string that every Map lookup must hash again; method and route strings repeat
 * (the HTTP parser's method names, the router's route templates), so looking them up is cheap.
 */
export function createRouteKeys(maxEntries: number): RouteKeys {
  const byMethod = new Map<string, Map<string, string>>();
  const byName = new Map<string, string>();
  let size = 0;
  const remember = <K>(map: Map<K, string>, at: K, key: string): string => {
    if (size >= maxEntries) {
      // Past the bound: start afresh (this key is cached from its next use on).
      byMethod.clear();
      byName.clear();
      size = 0;
      return key;
    }
    map.set(at, key);
    size++;
    return key;
  };
  return (method, route, name) => {
    if (route === undefined && method === undefined && name !== undefined) {
      return byName.get(name) ?? remember(byName, name, routeKey(method, route, name));
    }
    const m = method ?? '';
    let routes = byMethod.get(m);
    if (routes === undefined) {
      routes = new Map();
      byMethod.set(m, routes);
    }
    // A root without a route shares its method's window: '' never is a route template.
    const at = route ?? '';
    return routes.get(at) ?? remember(routes, at, routeKey(method, route, name));
  };
}
