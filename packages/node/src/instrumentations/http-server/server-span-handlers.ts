// The global `performance` is a lazy accessor on globalThis: every use calls a getter.
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import {
  type Attributes,
  type Context,
  context,
  diag,
  type Histogram,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { type RPCMetadata, RPCType, setRPCMetadata, suppressTracing } from '@opentelemetry/core';
import { linkedContext } from '../../context/linked-context';
import { OWNED_ATTRIBUTES, type OwnedSpanOptions } from '../../trace/owned-attributes';
import type { ServerChannelMessage } from './diagnostics';
import { endServerSpan, spanNameFor } from './end-server-span';
import { normalizeMethod } from './normalize-method';
import { requestAttributes } from './request-attributes';
import { setRequestContext } from './request-context';
import { REQUEST_STATE, type TrackedResponse } from './request-state';
import type { HttpServerInstrumentationOptions } from './types';
import { createQueryRedactor, DEFAULT_REDACTED_QUERY_PARAMS } from './url-parts';

/** What the handlers read on each request; the instrumentation swaps providers in place. */
export interface HandlerRuntime {
  tracer: Tracer;
  histogram: Histogram<Attributes> | undefined;
}

/** The three callbacks: two channel subscribers and one shared 'close' listener. */
export interface ServerSpanHandlers {
  onRequestStart(message: unknown): void;
  onResponseFinish(message: unknown): void;
}

// Ignored requests (metrics scrapes, ignore_paths) run with tracing off, as with the stock one.
const SUPPRESSED = suppressTracing(ROOT_CONTEXT);

/** Build the channel subscribers for one instrumentation instance. */
export function createServerSpanHandlers(
  runtime: HandlerRuntime,
  options: HttpServerInstrumentationOptions,
): ServerSpanHandlers {
  const { ignoreIncomingRequest: ignore, onServerSpan } = options;
  const redactQuery = createQueryRedactor(
    options.redactedQueryParams ?? DEFAULT_REDACTED_QUERY_PARAMS,
  );

  // One function for every response (no closure per request): `close` always
  // follows `finish`, so it only does work when `finish` never came (the
  // client went away, a timeout or `res.destroy()` closed the socket), or
  // when disable() unsubscribed from `finish` while the request was in flight.
  function onResponseClose(this: TrackedResponse): void {
    const state = this[REQUEST_STATE];
    if (state === undefined) return;
    this[REQUEST_STATE] = undefined;
    const aborted = !this.writableFinished;
    try {
      endServerSpan(
        state,
        this.headersSent ? this.statusCode : undefined,
        aborted,
        runtime.histogram,
      );
    } catch (err) {
      diag.debug('strata: ending an aborted server span failed', err);
    }
  }

  function onRequestStart(message: unknown): void {
    const { request, response, socket } = message as ServerChannelMessage;
    // Node emits 'request' right after this returns, in the same tick, so
    // entering the context here (AsyncLocalStorage.enterWith under
    // `context.attach`) is what the handler and its async work see. The
    // entered context lasts until this socket read callback returns; every
    // request enters its own, so pipelined requests never see a neighbour's.
    let entered: Context = ROOT_CONTEXT;
    try {
      if (ignore?.(request)) {
        entered = SUPPRESSED;
        return;
      }
      const method = normalizeMethod(request.method);
      const scheme = (socket as TLSSocket).encrypted ? 'https' : 'http';
      const parent = propagation.extract(ROOT_CONTEXT, request.headers);
      const span = runtime.tracer.startSpan(
        spanNameFor(method),
        {
          kind: SpanKind.SERVER,
          attributes: requestAttributes(request, socket, method, scheme, redactQuery),
          [OWNED_ATTRIBUTES]: true,
        } as OwnedSpanOptions,
        parent,
      );
      const rpc: RPCMetadata = { type: RPCType.HTTP, span };
      // Linked: every context the request derives from here adds a node instead of a Map copy.
      entered = setRPCMetadata(trace.setSpan(linkedContext(parent), span), rpc);
      const tracked = response as TrackedResponse;
      tracked[REQUEST_STATE] = {
        span,
        rpc,
        method,
        scheme,
        protocolVersion: request.httpVersion,
        start: performance.now(),
      };
      tracked.on('close', onResponseClose);
      if (onServerSpan !== undefined) onServerSpan(span, response);
    } catch (err) {
      // Never throw here: diagnostics_channel would rethrow it on the next tick.
      diag.debug('strata: starting a server span failed', err);
    } finally {
      context.attach(entered);
      // attach() holds only until this socket callback returns: body chunks
      // and 'end' arrive in later callbacks, whose listeners (body parsers,
      // then the route handler) must run in the request's context too.
      setRequestContext(request, entered);
      setRequestContext(response, entered);
    }
  }

  function onResponseFinish(message: unknown): void {
    const response = (message as ServerChannelMessage).response as TrackedResponse;
    const state = response[REQUEST_STATE];
    if (state === undefined) return;
    response[REQUEST_STATE] = undefined;
    try {
      endServerSpan(state, response.statusCode, false, runtime.histogram);
    } catch (err) {
      diag.debug('strata: ending a server span failed', err);
    }
  }

  return { onRequestStart, onResponseFinish };
}
