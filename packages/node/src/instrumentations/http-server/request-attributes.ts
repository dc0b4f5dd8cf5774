import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Attributes } from '@opentelemetry/api';
import { forwardedValue, stripPort } from './forwarded';
import { firstHeader, type HostAndPort, parseHost } from './host-header';
import { splitUrl } from './url-parts';

/**
 * The stable-semconv attributes the stock instrumentation puts on a server
 * span at start, from the request alone (`method` is the normalised one).
 * Keys are written as literals, not the semantic-conventions constants: a
 * computed key (`{ [ATTR_URL_PATH]: … }`, read from another module's exports)
 * makes V8 define each property through the runtime, for every request.
 */
export function requestAttributes(
  request: IncomingMessage,
  socket: Socket,
  method: string,
  scheme: string,
  redactQuery: (query: string) => string,
): Attributes {
  const headers = request.headers;
  const { path, query } = splitUrl(request.url);
  const attributes: Attributes = {
    'http.request.method': method,
    'url.scheme': scheme,
    'url.path': path,
    'network.protocol.version': request.httpVersion,
  };
  // Undefined once the peer is gone (a destroyed socket): leave the attributes out.
  const peer = socket.remoteAddress;
  if (peer !== undefined) {
    attributes['network.peer.address'] = peer;
    attributes['network.peer.port'] = socket.remotePort;
  }
  if (query !== undefined) attributes['url.query'] = redactQuery(query);
  const server = serverAddress(request, scheme);
  if (server !== undefined) {
    attributes['server.address'] = server.address;
    if (server.port !== undefined) attributes['server.port'] = server.port;
  }
  const client = clientAddress(request, socket);
  if (client !== undefined) attributes['client.address'] = client;
  const userAgent = headers['user-agent'];
  if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
  if (method !== request.method && request.method !== undefined) {
    attributes['http.request.method_original'] = request.method;
  }
  return attributes;
}

/** `server.address`/`server.port`: Forwarded host, then X-Forwarded-Host, then Host (semconv order). */
export function serverAddress(request: IncomingMessage, scheme: string): HostAndPort | undefined {
  const headers = request.headers;
  const forwarded = headers.forwarded;
  if (forwarded !== undefined) {
    const host = forwardedValue(forwarded, 'host');
    if (host !== undefined) return parseHost(host, forwardedValue(forwarded, 'proto'));
  }
  const xHost = firstHeader(headers['x-forwarded-host']);
  if (xHost) return parseHost(xHost, firstHeader(headers['x-forwarded-proto']));
  const host = headers.host;
  return host ? parseHost(host, scheme) : undefined;
}

/** `client.address`: Forwarded for, then the first X-Forwarded-For, then the peer. */
export function clientAddress(request: IncomingMessage, socket: Socket): string | undefined {
  const headers = request.headers;
  const forwarded = headers.forwarded;
  if (forwarded !== undefined) {
    const forAddress = forwardedValue(forwarded, 'for');
    if (forAddress !== undefined) return stripPort(forAddress);
  }
  const xFor = firstHeader(headers['x-forwarded-for']);
  if (xFor) {
    const comma = xFor.indexOf(',');
    return stripPort((comma === -1 ? xFor : xFor.slice(0, comma)).trim());
  }
  return socket.remoteAddress;
}
