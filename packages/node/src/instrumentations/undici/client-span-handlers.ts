// The global `performance` is a lazy accessor on globalThis: every use calls a getter.
import { performance } from 'node:perf_hooks';
import {
  type Attributes,
  context,
  diag,
  type Histogram,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapSetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { OWNED_ATTRIBUTES, type OwnedSpanOptions } from '../../trace/owned-attributes';
import { normalizeMethod } from '../http-server/normalize-method';
import type {
  RequestCreateMessage,
  RequestDoneMessage,
  RequestErrorMessage,
  ResponseHeadersMessage,
  SendHeadersMessage,
  UndiciRequest,
} from './diagnostics';
import { type ClientLabels, createClientLabelSets } from './duration-attributes';
import { requestUrl } from './request-url';
import { userAgentOf } from './user-agent';

/** What the handlers read on each request; the instrumentation swaps providers in place. */
export interface ClientRuntime {
  tracer: Tracer;
  histogram: Histogram<Attributes> | undefined;
}

/** Called with each client span and its response head (Strata's keep signals read Server-Timing there). */
export type OnClientResponse = (span: Span, response: ResponseHeadersMessage['response']) => void;

/** The five channel subscribers. */
export interface ClientSpanHandlers {
  onRequestCreate(message: unknown): void;
  onSendHeaders(message: unknown): void;
  onResponseHeaders(message: unknown): void;
  onRequestDone(message: unknown): void;
  onRequestError(message: unknown): void;
}

// A request's span and labels live on the request itself: one property
// instead of a WeakMap lookup in each of four channels.
const RECORD = Symbol('strata.undici.record');

interface ClientRecord extends ClientLabels {
  span: Span;
  start: number;
}

type TrackedRequest = UndiciRequest & { [RECORD]?: ClientRecord };

// Propagation headers go straight onto the request (no carrier object to copy from).
const REQUEST_SETTER: TextMapSetter<TrackedRequest> = {
  set(request, name, value) {
    if (typeof request.addHeader === 'function') request.addHeader(name, value);
    else if (typeof request.headers === 'string') request.headers += `${name}: ${value}\r\n`;
    else if (Array.isArray(request.headers)) request.headers.push(name, value);
  },
};

/**
 * Client spans and `http.client.request.duration` for fetch and undici, with
 * the stock instrumentation's names, attributes, status and metric labels.
 * Nothing here throws into the caller: undici runs subscribers inside its
 * own request path.
 */
export function createClientSpanHandlers(
  runtime: ClientRuntime,
  onResponse: OnClientResponse | undefined,
): ClientSpanHandlers {
  const labelSet = createClientLabelSets();

  function finish(request: TrackedRequest, record: ClientRecord): void {
    request[RECORD] = undefined;
    record.span.end();
    runtime.histogram?.record((performance.now() - record.start) / 1000, labelSet(record));
  }

  return {
    onRequestCreate(message) {
      try {
        const request = (message as RequestCreateMessage).request as TrackedRequest;
        if (request.method === 'CONNECT') return;
        const url = requestUrl(String(request.origin), request.path);
        if (url === undefined) {
          diag.debug('strata: undici request without a valid URL', request.origin, request.path);
          return;
        }
        const method = normalizeMethod(request.method);
        const attributes: Attributes = {
          'http.request.method': method,
          'http.request.method_original': request.method,
          'url.full': url.full,
          'url.path': url.path,
          'url.query': url.query,
          'url.scheme': url.scheme,
          'server.address': url.host,
        };
        if (url.port !== undefined) attributes['server.port'] = url.port;
        const userAgent = userAgentOf(request.headers);
        if (userAgent) attributes['user_agent.original'] = userAgent;
        const start = performance.now();
        const active = context.active();
        const span = runtime.tracer.startSpan(
          method === '_OTHER' ? 'HTTP' : method,
          { kind: SpanKind.CLIENT, attributes, [OWNED_ATTRIBUTES]: true } as OwnedSpanOptions,
          active,
        );
        propagation.inject(trace.setSpan(active, span), request, REQUEST_SETTER);
        request[RECORD] = {
          span,
          start,
          method,
          scheme: url.scheme,
          host: url.host,
          port: url.port,
          status: undefined,
          protocol: undefined,
          errorType: undefined,
        };
      } catch (err) {
        diag.debug('strata: undici request start failed', err);
      }
    },

    onSendHeaders(message) {
      const { request, socket } = message as SendHeadersMessage;
      const record = (request as TrackedRequest)[RECORD];
      if (record === undefined) return;
      const protocol = socket.alpnProtocol === 'h2' ? '2' : '1.1';
      record.protocol = protocol;
      record.span.setAttribute('network.peer.address', socket.remoteAddress as string);
      record.span.setAttribute('network.peer.port', socket.remotePort as number);
      record.span.setAttribute('network.protocol.version', protocol);
    },

    onResponseHeaders(message) {
      const { request, response } = message as ResponseHeadersMessage;
      const record = (request as TrackedRequest)[RECORD];
      if (record === undefined) return;
      const { span } = record;
      const status = response.statusCode;
      record.status = status;
      span.setAttribute('http.response.status_code', status);
      if (status >= 400) {
        record.errorType = String(status);
        span.setAttribute('error.type', record.errorType);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      if (onResponse !== undefined) {
        try {
          onResponse(span, response);
        } catch (err) {
          diag.debug('strata: undici response hook failed', err);
        }
      }
    },

    onRequestDone(message) {
      const request = (message as RequestDoneMessage).request as TrackedRequest;
      const record = request[RECORD];
      if (record !== undefined) finish(request, record);
    },

    onRequestError(message) {
      const { request, error } = message as RequestErrorMessage;
      const record = (request as TrackedRequest)[RECORD];
      if (record === undefined) return;
      // An abort is the caller's choice, not a failure of the call.
      if (!isAbort(error)) {
        const errorType = error?.code || error?.name || 'Error';
        record.errorType = errorType;
        record.span.setAttribute('error.type', errorType);
        record.span.recordException(error);
        record.span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message });
      }
      finish(request as TrackedRequest, record);
    },
  };
}

function isAbort(error: unknown): boolean {
  if ((error as Error | undefined)?.name === 'AbortError') return true;
  return (
    typeof DOMException !== 'undefined' &&
    error instanceof DOMException &&
    error.code === DOMException.ABORT_ERR
  );
}
