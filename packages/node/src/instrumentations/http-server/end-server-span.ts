// The global `performance` is a lazy accessor on globalThis: every use calls a getter.
import { performance } from 'node:perf_hooks';
import { type Attributes, type Histogram, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { RequestState } from './request-state';

/** `error.type` of a server span whose connection closed before the response finished. */
export const ABORTED_ERROR_TYPE = 'aborted';

/** The span name before a route is known: the method, or `HTTP` for `_OTHER` (semconv). */
export function spanNameFor(method: string, route?: string): string {
  const base = method === '_OTHER' ? 'HTTP' : method;
  return route === undefined ? base : `${base} ${route}`;
}

/**
 * End a server span with the response's outcome, as the stock instrumentation
 * does: status code, `http.route` and the `GET /route` name from the RPC
 * metadata the framework instrumentations fill, ERROR for 5xx; `aborted`
 * when the connection closed first. Then record the duration.
 */
export function endServerSpan(
  state: RequestState,
  status: number | undefined,
  aborted: boolean,
  histogram: Histogram<Attributes> | undefined,
): void {
  const { span, method } = state;
  const route = state.rpc.route;
  if (status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  if (route !== undefined) {
    span.setAttribute(ATTR_HTTP_ROUTE, route);
    span.updateName(spanNameFor(method, route));
  }
  let errorType: string | undefined;
  if (aborted) {
    errorType = ABORTED_ERROR_TYPE;
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: 'connection closed before the response finished',
    });
  } else if (status === undefined || status < 100 || status >= 500) {
    if (status !== undefined && status >= 500 && status < 600) errorType = String(status);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  if (errorType !== undefined) span.setAttribute(ATTR_ERROR_TYPE, errorType);
  span.end();
  if (histogram === undefined) return;
  histogram.record(
    (performance.now() - state.start) / 1000,
    metricAttributes(method, state.scheme, state.protocolVersion, status, route, errorType),
  );
}

// One attributes object per label set, reused and never replaced: cheaper to
// record, and what a histogram keyed by attribute object needs. Frozen: the
// metrics SDK then hashes it once, not at every point. Found by route,
// then by a scan of that route's few label sets: no key string to build per
// request.
// Bounded: past the limit (routes are templates, so only a misbehaving app
// gets there), the rest share the overflow set.
const MAX_LABEL_SETS = 2000;
const OVERFLOW: Attributes = Object.freeze({ 'otel.metric.overflow': true });

interface LabelSet {
  readonly method: string;
  readonly scheme: string;
  readonly protocolVersion: string | undefined;
  readonly status: number | undefined;
  readonly errorType: string | undefined;
  readonly attributes: Attributes;
}

const labelSetsByRoute = new Map<string | undefined, LabelSet[]>();
let labelSetCount = 0;

function metricAttributes(
  method: string,
  scheme: string,
  protocolVersion: string | undefined,
  status: number | undefined,
  route: string | undefined,
  errorType: string | undefined,
): Attributes {
  let sets = labelSetsByRoute.get(route);
  if (sets !== undefined) {
    for (let i = 0; i < sets.length; i++) {
      const set = sets[i];
      if (
        set.status === status &&
        set.method === method &&
        set.scheme === scheme &&
        set.protocolVersion === protocolVersion &&
        set.errorType === errorType
      ) {
        return set.attributes;
      }
    }
  }
  if (labelSetCount >= MAX_LABEL_SETS) return OVERFLOW;
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_NETWORK_PROTOCOL_VERSION]: protocolVersion,
  };
  if (status !== undefined) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
  if (route !== undefined) attributes[ATTR_HTTP_ROUTE] = route;
  if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
  if (sets === undefined) {
    sets = [];
    labelSetsByRoute.set(route, sets);
  }
  Object.freeze(attributes);
  sets.push({ method, scheme, protocolVersion, status, errorType, attributes });
  labelSetCount++;
  return attributes;
}
