import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { StrataConfig } from '@strata/config';
import type { InstrumentationContext } from './catalog';
import { compilePathMatcher } from './path-matcher';

/** Options of the stock HTTP instrumentation as Strata runs it. */
export function createHttpInstrumentationConfig(
  config: StrataConfig,
  ctx: InstrumentationContext,
): HttpInstrumentationConfig {
  const ignorePath = compilePathMatcher(config.instrumentations.http.ignore_paths);
  const { keepSignals } = ctx;
  return {
    responseHook(span: Span, response: IncomingMessage | ServerResponse) {
      if (response instanceof ServerResponse) keepSignals.onServerResponse(span, response);
      else keepSignals.onClientResponse(span, response.headers['server-timing']);
    },
    ignoreIncomingRequestHook(request: IncomingMessage) {
      if (ctx.isOwnServer((request.socket as { server?: unknown } | null)?.server)) return true;
      if (!ignorePath) return false;
      const url = request.url ?? '/';
      const q = url.indexOf('?');
      return ignorePath(q === -1 ? url : url.slice(0, q));
    },
  };
}
