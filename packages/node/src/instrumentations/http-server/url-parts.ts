/** REDACTED string of the stock instrumentation. */
export const REDACTED = 'REDACTED';

/** The stock instrumentation's default sensitive query parameters. */
export const DEFAULT_REDACTED_QUERY_PARAMS: readonly string[] = [
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
];

/** `url.path` and `url.query` of a request target. */
export interface UrlParts {
  path: string;
  /** Without the `?`; undefined when empty. */
  query: string | undefined;
}

/**
 * Split the request target without building a URL object (about 1 µs saved
 * per request): origin-form targets (`/a?b`) are reported as sent; only
 * absolute-form (proxy requests) and `*` go through the URL parser.
 */
export function splitUrl(url: string | undefined): UrlParts {
  if (url === undefined || url === '') return { path: '/', query: undefined };
  if (url[0] !== '/') return parseAbsolute(url);
  const q = url.indexOf('?');
  if (q === -1) return { path: url, query: undefined };
  const hash = url.indexOf('#', q);
  const query = hash === -1 ? url.slice(q + 1) : url.slice(q + 1, hash);
  return { path: url.slice(0, q), query: query === '' ? undefined : query };
}

function parseAbsolute(url: string): UrlParts {
  try {
    const parsed = new URL(url, 'http://localhost');
    return {
      path: parsed.pathname,
      query: parsed.search === '' ? undefined : parsed.search.slice(1),
    };
  } catch {
    return { path: url, query: undefined };
  }
}

/**
 * A function replacing sensitive parameters' values by `REDACTED`; the query
 * string is otherwise kept byte for byte (the stock one re-encodes it).
 */
export function createQueryRedactor(params: readonly string[]): (query: string) => string {
  if (params.length === 0) return (query) => query;
  const names = new Set(params);
  const escaped = params.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // One scan decides; only queries that carry a sensitive name get split.
  const probe = new RegExp(`(?:^|&)(?:${escaped.join('|')})(?:=|&|$)`);
  return (query) => {
    if (!probe.test(query)) return query;
    const pairs = query.split('&');
    for (let i = 0; i < pairs.length; i++) {
      const eq = pairs[i].indexOf('=');
      const name = eq === -1 ? pairs[i] : pairs[i].slice(0, eq);
      if (names.has(name)) pairs[i] = `${name}=${REDACTED}`;
    }
    return pairs.join('&');
  };
}
