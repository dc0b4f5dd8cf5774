/** `server.address` and `server.port` read from a Host-style header value. */
export interface HostAndPort {
  address: string;
  port: number | undefined;
}

// A service is nearly always reached under one host name: the last answer, reused (frozen, as
// callers share it) while the header repeats.
let lastHost: string | undefined;
let lastScheme: string | undefined;
let lastResult: HostAndPort | undefined;

/**
 * Split `host[:port]` (IPv6 in brackets kept as is, like the stock
 * instrumentation); without a port, the scheme's default port.
 */
export function parseHost(host: string, scheme: string | undefined): HostAndPort {
  if (host === lastHost && scheme === lastScheme && lastResult !== undefined) return lastResult;
  const result = Object.freeze(splitHost(host, scheme));
  lastHost = host;
  lastScheme = scheme;
  lastResult = result;
  return result;
}

function splitHost(host: string, scheme: string | undefined): HostAndPort {
  const colon = host.lastIndexOf(':');
  const bracket = host.lastIndexOf(']');
  if (colon > bracket && (bracket !== -1 || host.indexOf(':') === colon)) {
    const port = Number(host.slice(colon + 1));
    return {
      address: host.slice(0, colon),
      port: Number.isInteger(port) && port > 0 ? port : undefined,
    };
  }
  return { address: host, port: scheme === 'https' ? 443 : scheme === 'http' ? 80 : undefined };
}

/** The first value of a header that may repeat. */
export function firstHeader(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value[0];
}
