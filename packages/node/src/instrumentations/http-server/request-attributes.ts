import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { forwardedValue, stripPort } from './forwarded';
import { firstHeader, type HostAndPort, parseHost } from './host-header';
import { splitUrl } from './url-parts';

/**
 * The stable-semconv attributes the stock instrumentation puts on a server
 * span at start, from the request alone (`method` is the normalised one).
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
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_URL_PATH]: path,
    [ATTR_NETWORK_PROTOCOL_VERSION]: request.httpVersion,
  };
  // Undefined once the peer is gone (a destroyed socket): leave the attributes out.
  const peer = socket.remoteAddress;
  if (peer !== undefined) {
    attributes[ATTR_NETWORK_PEER_ADDRESS] = peer;
    attributes[ATTR_NETWORK_PEER_PORT] = socket.remotePort;
  }
  if (query !== undefined) attributes[ATTR_URL_QUERY] = redactQuery(query);
  const server = serverAddress(request, scheme);
  if (server !== undefined) {
    attributes[ATTR_SERVER_ADDRESS] = server.address;
    if (server.port !== undefined) attributes[ATTR_SERVER_PORT] = server.port;
  }
  const client = clientAddress(request, socket);
  if (client !== undefined) attributes[ATTR_CLIENT_ADDRESS] = client;
  const userAgent = headers['user-agent'];
  if (userAgent !== undefined) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
  if (method !== request.method && request.method !== undefined) {
    attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = request.method;
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
