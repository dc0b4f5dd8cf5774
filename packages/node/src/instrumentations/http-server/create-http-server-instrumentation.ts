import { trace } from '@opentelemetry/api';
import { createChannelInstrumentation } from '../channel-instrumentation';
import { REQUEST_START, RESPONSE_FINISH } from './diagnostics';
import { createDurationHistogram } from './duration-histogram';
import { patchRequestEmitters } from './request-context';
import { createServerSpanHandlers, type HandlerRuntime } from './server-span-handlers';
import type { HttpServerInstrumentation, HttpServerInstrumentationOptions } from './types';

// The stock scope name: Strata's layer attribution names a server span's
// system after its scope (`@opentelemetry/instrumentation-http` → `http`), and
// dashboards filter on it; this instrumentation replaces the stock server side.
const DEFAULT_SCOPE = '@opentelemetry/instrumentation-http';
const VERSION = '0.1.0';

/**
 * HTTP server spans and `http.server.request.duration` from Node's
 * `http.server.*` diagnostics channels. The one patch is `emit` of the
 * request and response prototypes, to carry the request's context (see
 * request-context.ts).
 */
export function createHttpServerInstrumentation(
  options: HttpServerInstrumentationOptions = {},
): HttpServerInstrumentation {
  const scopeName = options.scopeName ?? DEFAULT_SCOPE;
  const runtime: HandlerRuntime = {
    tracer: trace.getTracer(scopeName, VERSION),
    histogram: undefined,
  };
  const { onRequestStart, onResponseFinish } = createServerSpanHandlers(runtime, options);
  return createChannelInstrumentation({
    name: scopeName,
    version: VERSION,
    channels: [
      [REQUEST_START, onRequestStart],
      [RESPONSE_FINISH, onResponseFinish],
    ],
    refresh(tracerProvider, meterProvider) {
      runtime.tracer = (tracerProvider ?? trace.getTracerProvider()).getTracer(scopeName, VERSION);
      runtime.histogram =
        options.durationHistogram ??
        (meterProvider
          ? createDurationHistogram(meterProvider.getMeter(scopeName, VERSION))
          : undefined);
    },
    onEnable: patchRequestEmitters,
  });
}
