/**
 * Routes and names of Express layers, with the same results as the stock
 * `@opentelemetry/instrumentation-express` (utils.ts there), computed without
 * the intermediate arrays, regular expressions and objects it builds on every
 * layer of every request.
 */

/** What an Express (4, or 5 through `router`) layer exposes. */
export interface ExpressLayer {
  name: string;
  path?: string;
  handle?: { stack?: ExpressLayer[] };
  route?: { path?: string };
}

export type ExpressLayerType = 'router' | 'middleware' | 'request_handler';

/** A layer's span name and attributes, before `http.route`. */
export interface LayerMetadata {
  name: string;
  type: ExpressLayerType;
  /** `express.name`. */
  expressName: string;
}

// Mount paths that add nothing to a route: '/', '/*' and Express 5's '/{*name}'.
function isMeaningful(path: string): boolean {
  if (path === '/' || path === '/*') return false;
  return !(path.startsWith('/{*') && path.indexOf('}', 3) === path.length - 1);
}

/** The route so far: the meaningful mount paths joined, repeated slashes collapsed. */
export function constructedRoute(paths: readonly string[]): string {
  let route = '';
  let count = 0;
  let only = '';
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i];
    if (!isMeaningful(path)) continue;
    count++;
    only = path;
    route += path;
  }
  if (count === 1 && only === '*') return '*';
  return route.includes('//') ? route.replace(/\/{2,}/g, '/') : route;
}

/** `http.route`: the constructed route when it matches the request, else undefined. */
export function actualMatchedRoute(
  paths: readonly string[],
  constructed: string,
  originalUrl: string,
): string | undefined {
  if (paths.length === 0) return undefined;
  let allRoot = true;
  for (let i = 0; i < paths.length; i++) {
    if (paths[i] !== '/') {
      allRoot = false;
      break;
    }
  }
  if (allRoot) return originalUrl === '/' ? '/' : undefined;
  if (constructed === '*') return constructed;
  if (
    constructed.includes('/') &&
    (constructed.includes(',') ||
      constructed.includes('\\') ||
      constructed.includes('*') ||
      constructed.includes('['))
  ) {
    return constructed;
  }
  const normalized = constructed.startsWith('/') ? constructed : `/${constructed}`;
  return originalUrl === normalized ||
    originalUrl.startsWith(normalized) ||
    normalized.includes(':') ||
    normalized.includes('*')
    ? normalized
    : undefined;
}

function routerPath(path: string, layer: ExpressLayer): string {
  const first = layer.handle?.stack?.[0];
  if (first?.route?.path) return `${path}${first.route.path}`;
  if (first?.handle?.stack) return routerPath(path, first);
  return path;
}

/** Name and type of a layer's span. */
export function layerMetadata(
  layer: ExpressLayer,
  constructed: string,
  layerPath: string | undefined,
): LayerMetadata {
  if (layer.name === 'router') {
    const name = routerPath('', layer) || layerPath || constructed || '/';
    return { name: `router - ${name}`, type: 'router', expressName: name };
  }
  if (layer.name === 'bound dispatch' || layer.name === 'handle') {
    return {
      name: `request handler${layer.path ? ` - ${constructed || layerPath}` : ''}`,
      type: 'request_handler',
      expressName: (constructed || layerPath) ?? 'request handler',
    };
  }
  return { name: `middleware - ${layer.name}`, type: 'middleware', expressName: layer.name };
}
