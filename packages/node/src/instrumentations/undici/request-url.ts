/** The URL attributes of an outgoing request, as `new URL(path, origin)` gives them. */
export interface RequestUrl {
  full: string;
  path: string;
  query: string;
  scheme: string;
  host: string;
  /** Explicit port, else the scheme's default; undefined when neither is known. */
  port: number | undefined;
}

interface OriginParts {
  origin: string;
  scheme: string;
  host: string;
  port: number | undefined;
}

// A service calls a handful of origins: their parts are parsed once. Bounded:
// past the cap the map starts over rather than grow with odd traffic.
const MAX_ORIGINS = 256;
const origins = new Map<string, OriginParts | null>();
const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

// A path that `new URL` returns unchanged: it starts with one '/' (two would
// name a host), has no dot segment (so no '/.' before the query), and holds only
// characters that URL escapes in neither the path nor the query (no space,
// quote, backslash, '#', non-ASCII…). fetch hands paths over in this form (it
// parsed the URL), so nearly every request takes it; anything else goes
// through URL.
const PLAIN_CHARS = /^\/[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*$/;

function isPlainPath(path: string): boolean {
  if (path.charCodeAt(1) === 0x2f || !PLAIN_CHARS.test(path)) return false;
  const dot = path.indexOf('/.');
  if (dot === -1) return true;
  const q = path.indexOf('?');
  return q !== -1 && q < dot;
}

function originParts(origin: string): OriginParts | null {
  let parts = origins.get(origin);
  if (parts !== undefined) return parts;
  try {
    const url = new URL(origin);
    const scheme = url.protocol.slice(0, -1);
    const port = url.port ? Number(url.port) : DEFAULT_PORTS[scheme];
    // url.origin is the canonical form; a different string (trailing path, case) is not plain.
    parts = { origin: url.origin, scheme, host: url.hostname, port };
  } catch {
    parts = null;
  }
  if (origins.size >= MAX_ORIGINS) origins.clear();
  origins.set(origin, parts);
  return parts;
}

/** `url.full`, `url.path`, `url.query`, `url.scheme`, `server.address` and `server.port` of a request; undefined when its URL is invalid. */
export function requestUrl(origin: string, path: string): RequestUrl | undefined {
  const parts = originParts(origin);
  if (parts !== null && parts.origin === origin && isPlainPath(path)) {
    const q = path.indexOf('?');
    return {
      full: origin + path,
      path: q === -1 ? path : path.slice(0, q),
      // URL#search is '' for a lone '?'.
      query: q === -1 || q === path.length - 1 ? '' : path.slice(q),
      scheme: parts.scheme,
      host: parts.host,
      port: parts.port,
    };
  }
  return slowRequestUrl(origin, path);
}

function slowRequestUrl(origin: string, path: string): RequestUrl | undefined {
  let url: URL;
  try {
    url = new URL(path, origin);
  } catch {
    return undefined;
  }
  const scheme = url.protocol.slice(0, -1);
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[scheme];
  return {
    full: url.toString(),
    path: url.pathname,
    query: url.search,
    scheme,
    host: url.hostname,
    port: Number.isNaN(port) ? undefined : port,
  };
}
