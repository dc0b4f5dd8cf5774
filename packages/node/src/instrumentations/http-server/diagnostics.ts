import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

// Every channel this instrumentation listens to. Node publishes them only when
// `hasSubscribers` is true, so an unsubscribed instrumentation costs nothing.

/** Published in `parserOnIncoming` right before the server emits 'request' (same tick). */
export const REQUEST_START = 'http.server.request.start';
/** Published when the response's 'finish' fires (all data handed to the OS). */
export const RESPONSE_FINISH = 'http.server.response.finish';

/** The message of both channels. */
export interface ServerChannelMessage {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket;
  server: Server;
}
