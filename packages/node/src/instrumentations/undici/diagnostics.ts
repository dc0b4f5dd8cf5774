import type { Socket } from 'node:net';

// Every channel this instrumentation listens to (undici's own names, the ones
// the stock @opentelemetry/instrumentation-undici subscribes to). undici
// publishes only when `hasSubscribers` is true.

/** A request object was created (fetch, undici.request, a Dispatcher). */
export const REQUEST_CREATE = 'undici:request:create';
/** The request head went out on a socket. */
export const CLIENT_SEND_HEADERS = 'undici:client:sendHeaders';
/** The response head arrived. */
export const REQUEST_HEADERS = 'undici:request:headers';
/** The response ended (trailers, possibly none). */
export const REQUEST_TRAILERS = 'undici:request:trailers';
/** The request failed or was aborted. */
export const REQUEST_ERROR = 'undici:request:error';

/** The part of undici's Request that the handlers read. */
export interface UndiciRequest {
  origin: string | { toString(): string };
  path: string;
  method: string;
  /** `[name, value, …]` in current undici, a raw header block in old ones. */
  headers: string[] | string;
  addHeader?(name: string, value: string): unknown;
}

/** `undici:request:create`. */
export interface RequestCreateMessage {
  request: UndiciRequest;
}

/** `undici:client:sendHeaders`. */
export interface SendHeadersMessage {
  request: UndiciRequest;
  socket: Socket & { alpnProtocol?: string | false };
}

/** `undici:request:headers`: raw header names and values are Buffers. */
export interface ResponseHeadersMessage {
  request: UndiciRequest;
  response: { statusCode: number; headers: unknown[] };
}

/** `undici:request:trailers`. */
export interface RequestDoneMessage {
  request: UndiciRequest;
}

/** `undici:request:error`. */
export interface RequestErrorMessage {
  request: UndiciRequest;
  error: Error & { code?: string };
}
