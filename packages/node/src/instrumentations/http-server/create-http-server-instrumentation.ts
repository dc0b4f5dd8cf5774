import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type MeterProvider, type TracerProvider, trace } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
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
  let tracerProvider: TracerProvider | undefined;
  let meterProvider: MeterProvider | undefined;
  let enabled = false;
  let unpatchEmitters = () => {};
  const runtime: HandlerRuntime = {
    tracer: trace.getTracer(scopeName, VERSION),
    histogram: undefined,
  };
  const { onRequestStart, onResponseFinish } = createServerSpanHandlers(runtime, options);

  const refresh = () => {
    runtime.tracer = (tracerProvider ?? trace.getTracerProvider()).getTracer(scopeName, VERSION);
    runtime.histogram =
      options.durationHistogram ??
      (meterProvider
        ? createDurationHistogram(meterProvider.getMeter(scopeName, VERSION))
        : undefined);
  };

  return {
    instrumentationName: scopeName,
    instrumentationVersion: VERSION,
    enable(tracer?: TracerProvider, meter?: MeterProvider) {
      if (tracer !== undefined) tracerProvider = tracer;
      if (meter !== undefined) meterProvider = meter;
      refresh();
      if (enabled) return;
      enabled = true;
      unpatchEmitters = patchRequestEmitters();
      subscribe(REQUEST_START, onRequestStart);
      subscribe(RESPONSE_FINISH, onResponseFinish);
    },
    disable() {
      if (!enabled) return;
      enabled = false;
      unsubscribe(REQUEST_START, onRequestStart);
      unsubscribe(RESPONSE_FINISH, onResponseFinish);
      unpatchEmitters();
    },
    setTracerProvider(provider: TracerProvider) {
      tracerProvider = provider;
      refresh();
    },
    setMeterProvider(provider: MeterProvider) {
      meterProvider = provider;
      refresh();
    },
    // `registerInstrumentations` calls enable() only when this says disabled.
    getConfig(): InstrumentationConfig {
      return { enabled };
    },
    setConfig() {},
  };
}
