import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Attributes, Histogram, Span } from '@opentelemetry/api';
import type { ChannelInstrumentation } from '../channel-instrumentation';

/** Options of Strata's HTTP server instrumentation (diagnostics_channel based). */
export interface HttpServerInstrumentationOptions {
  /** True for requests that get no span (ignore_paths, Strata's own metrics server); they run with tracing suppressed. */
  ignoreIncomingRequest?: (request: IncomingMessage) => boolean;
  /** Called with each new server span and its response, before the request handler runs. */
  onServerSpan?: (span: Span, response: ServerResponse) => void;
  /** Query parameters whose values are replaced by `REDACTED` in `url.query` (default: the stock instrumentation's list). */
  redactedQueryParams?: readonly string[];
  /** Instrumentation scope of the spans and the duration metric (default `@opentelemetry/instrumentation-http`, see README note in create-http-server-instrumentation.ts). */
  scopeName?: string;
  /**
   * Where `http.server.request.duration` is recorded instead of a histogram on
   * the meter provider's meter: one keyed by attribute object (this module
   * passes one cached object per label set).
   */
  durationHistogram?: Histogram<Attributes>;
}

/** An `Instrumentation` that `registerInstrumentations` accepts, also usable on its own. */
export type HttpServerInstrumentation = ChannelInstrumentation;
