import { type Attributes, type Histogram, trace, ValueType } from '@opentelemetry/api';
import { METRIC_HTTP_CLIENT_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';
import {
  type ChannelInstrumentation,
  createChannelInstrumentation,
} from '../channel-instrumentation';
import { HTTP_DURATION_BUCKETS } from '../http-server/duration-histogram';
import {
  type ClientRuntime,
  createClientSpanHandlers,
  type OnClientResponse,
} from './client-span-handlers';
import {
  CLIENT_SEND_HEADERS,
  REQUEST_CREATE,
  REQUEST_ERROR,
  REQUEST_HEADERS,
  REQUEST_TRAILERS,
} from './diagnostics';

// The stock scope name: layer attribution and dashboards see the same spans
// and metric scope as with @opentelemetry/instrumentation-undici.
const SCOPE = '@opentelemetry/instrumentation-undici';
const VERSION = '0.1.0';

/** Options of Strata's fetch/undici client instrumentation. */
export interface UndiciInstrumentationOptions {
  /** Called with each client span and its response head. */
  onResponse?: OnClientResponse;
  /** Where `http.client.request.duration` goes instead of a histogram on the meter provider (see histogram-cells.ts). */
  durationHistogram?: Histogram<Attributes>;
}

/** An `Instrumentation` that `registerInstrumentations` accepts, also usable on its own. */
export type UndiciInstrumentation = ChannelInstrumentation;

/**
 * Client spans for global fetch and undici from undici's diagnostics channels,
 * as the stock instrumentation makes them, with less work per request: no URL
 * object for a plain path, no WeakMap, no closures, and the duration metric
 * recorded into a cell per label set.
 */
export function createUndiciInstrumentation(
  options: UndiciInstrumentationOptions = {},
): UndiciInstrumentation {
  const runtime: ClientRuntime = { tracer: trace.getTracer(SCOPE, VERSION), histogram: undefined };
  const handlers = createClientSpanHandlers(runtime, options.onResponse);
  return createChannelInstrumentation({
    name: SCOPE,
    version: VERSION,
    channels: [
      [REQUEST_CREATE, handlers.onRequestCreate],
      [CLIENT_SEND_HEADERS, handlers.onSendHeaders],
      [REQUEST_HEADERS, handlers.onResponseHeaders],
      [REQUEST_TRAILERS, handlers.onRequestDone],
      [REQUEST_ERROR, handlers.onRequestError],
    ],
    refresh(tracerProvider, meterProvider) {
      runtime.tracer = (tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE, VERSION);
      runtime.histogram =
        options.durationHistogram ??
        meterProvider
          ?.getMeter(SCOPE, VERSION)
          .createHistogram(METRIC_HTTP_CLIENT_REQUEST_DURATION, {
            description: 'Measures the duration of outbound HTTP requests.',
            unit: 's',
            valueType: ValueType.DOUBLE,
            advice: { explicitBucketBoundaries: [...HTTP_DURATION_BUCKETS] },
          });
    },
  });
}
