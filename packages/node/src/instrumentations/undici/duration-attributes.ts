import type { Attributes } from '@opentelemetry/api';

/** What `http.client.request.duration` is labelled with, known when a request ends. */
export interface ClientLabels {
  method: string;
  scheme: string;
  host: string;
  port: number | undefined;
  /** Undefined when no response head arrived. */
  status: number | undefined;
  /** Undefined when the request head never went out. */
  protocol: string | undefined;
  errorType: string | undefined;
}

// Distinct label sets kept at most (the histogram's own cell limit): past it a
// new set is built each time and not kept, and the histogram counts it as
// overflow.
const MAX_SETS = 2000;

/**
 * One frozen attributes object per label set, so the histogram (keyed by
 * object identity, see metrics/histogram-cells.ts) does a Map lookup per
 * request instead of the SDK's hash of a fresh object. Keys and their order
 * are the stock instrumentation's; absent values leave their key out.
 */
export function createClientLabelSets(): (labels: ClientLabels) => Attributes {
  const sets = new Map<string, Attributes>();
  // The last label set and its object: a service calls the same few upstreams, so the
  // next request nearly always repeats it, and seven comparisons cost less than
  // building and hashing the key.
  let last: ClientLabels | undefined;
  let lastAttributes: Attributes | undefined;
  return (labels) => {
    const { status, port, protocol, errorType } = labels;
    if (
      last !== undefined &&
      status === last.status &&
      labels.method === last.method &&
      labels.host === last.host &&
      port === last.port &&
      labels.scheme === last.scheme &&
      errorType === last.errorType &&
      protocol === last.protocol
    ) {
      return lastAttributes!;
    }
    const attributes = labelSetFor(sets, labels);
    // Only the labels: `labels` may be a request's whole record (span included).
    last = {
      method: labels.method,
      scheme: labels.scheme,
      host: labels.host,
      port,
      status,
      protocol,
      errorType,
    };
    lastAttributes = attributes;
    return attributes;
  };
}

function labelSetFor(sets: Map<string, Attributes>, labels: ClientLabels): Attributes {
  const { status, port, protocol, errorType } = labels;
  const key = `${status}\u0000${labels.method}\u0000${labels.host}\u0000${port}\u0000${labels.scheme}\u0000${errorType}\u0000${protocol}`;
  let attributes = sets.get(key);
  if (attributes !== undefined) return attributes;
  const fresh: Attributes = {};
  if (status !== undefined) fresh['http.response.status_code'] = status;
  fresh['http.request.method'] = labels.method;
  fresh['server.address'] = labels.host;
  if (port !== undefined) fresh['server.port'] = port;
  fresh['url.scheme'] = labels.scheme;
  if (errorType !== undefined) fresh['error.type'] = errorType;
  if (protocol !== undefined) fresh['network.protocol.version'] = protocol;
  attributes = Object.freeze(fresh);
  if (sets.size < MAX_SETS) sets.set(key, attributes);
  return attributes;
}
