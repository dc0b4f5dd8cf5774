import { type IncomingMessage, ServerResponse } from 'node:http';
import { context, type Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { StrataConfig } from '@strata/config';
import type { InstrumentationContext } from './catalog';
import { compilePathMatcher } from './path-matcher';

/**
 * Options of the stock HTTP instrumentation as Strata runs it: outgoing
 * calls only. Incoming requests go through Strata's own server
 * instrumentation on diagnostics_channel (2–2.5× cheaper per request).
 */
export function createHttpClientConfig(ctx: InstrumentationContext): HttpInstrumentationConfig {
  const { keepSignals } = ctx;
  return {
    disableIncomingRequestInstrumentation: true,
    // Strata's own export requests run with tracing suppressed: no span and
    // no `http.client.request.duration` point for them either.
    ignoreOutgoingRequestHook: () => isTracingSuppressed(context.active()),
    responseHook(span: Span, response: IncomingMessage | ServerResponse) {
      if (!(response instanceof ServerResponse)) {
        keepSignals.onClientResponse(span, response.headers['server-timing']);
      }
    },
  };
}

/** Incoming requests not traced: Strata's own metrics endpoint and `instrumentations.http.ignore_paths`. */
export function createIgnoreIncoming(
  config: StrataConfig,
  ctx: InstrumentationContext,
): (request: IncomingMessage) => boolean {
  const ignorePath = compilePathMatcher(config.instrumentations.http.ignore_paths);
  return (request) => {
    if (ctx.isOwnServer((request.socket as { server?: unknown } | null)?.server)) return true;
    if (!ignorePath) return false;
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    return ignorePath(q === -1 ? url : url.slice(0, q));
  };
}
