import { ServerResponse } from 'node:http';
import { type Context, context, diag, type Span } from '@opentelemetry/api';
import { getRPCMetadata, hrTime, hrTimeDuration, hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  formatServerTimingKeep,
  type LocalTraceProcessor,
  type ProvisionalSummary,
  parseServerTimingKeep,
} from '@strata/sampling';

/** Where the HTTP instrumentations hand over responses so keep decisions cross service boundaries. */
export interface KeepSignals {
  /** An incoming request's server span and its response: tell the caller at `writeHead` when we keep. */
  onServerResponse(span: Span, response: ServerResponse): void;
  /** An outgoing call's client span and the callee's `Server-Timing` header(s). */
  onClientResponse(span: Span, serverTiming: unknown): void;
}

const SERVER_SPAN = Symbol('strata.serverSpan');
type Tracked = ServerResponse & { [SERVER_SPAN]?: Span };

/**
 * Callee → caller: when this service keeps a trace as an outlier (error
 * status, over its route's slow threshold, a rule), it says so in a
 * `Server-Timing: traceparent;desc=…-01` entry while the response head is
 * written, so the caller keeps its part (reason `callee`). Caller → callee
 * goes through the tracestate mark (see the propagator wrapper).
 */
export function createKeepSignals(
  processor: LocalTraceProcessor,
  tellCaller: boolean,
): KeepSignals {
  if (tellCaller) patchWriteHead(processor);
  return {
    onServerResponse(span, response) {
      // Only when a caller sent trace context: a browser or curl has nobody to tell.
      if (tellCaller && (span as unknown as ReadableSpan).parentSpanContext?.isRemote) {
        (response as Tracked)[SERVER_SPAN] = span;
      }
    },
    onClientResponse(span, serverTiming) {
      if (serverTiming && parseServerTimingKeep(serverTiming, span.spanContext().traceId)) {
        processor.markKeep(span, 'callee');
      }
    },
  };
}

let patched = false;

function patchWriteHead(processor: LocalTraceProcessor): void {
  if (patched) return;
  patched = true;
  const original = ServerResponse.prototype.writeHead;
  // One prototype patch instead of a closure per response; `res.end()` without
  // an explicit writeHead goes through here too (`_implicitHeader`).
  ServerResponse.prototype.writeHead = function writeHead(this: Tracked, ...args: unknown[]) {
    const span = this[SERVER_SPAN];
    if (span !== undefined) {
      this[SERVER_SPAN] = undefined;
      try {
        tellCallerIfKept(processor, span, this, args);
      } catch (err) {
        diag.debug('strata: Server-Timing keep signal failed', err);
      }
    }
    return (original as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof original;
}

function tellCallerIfKept(
  processor: LocalTraceProcessor,
  span: Span,
  response: ServerResponse,
  args: unknown[],
): void {
  if (response.headersSent) return;
  const reason = processor.shouldTellCaller(
    span,
    provisionalSummary(span, getRPCMetadata(context.active())?.route, args[0] as number),
  );
  if (!reason) return;
  const { traceId, spanId } = span.spanContext();
  const entry = formatServerTimingKeep(traceId, spanId);
  if (!entry) return;
  const append = (existing: unknown) =>
    existing === undefined ? entry : `${[existing].flat().join(', ')}, ${entry}`;
  // writeHead(status[, message], headers): a Server-Timing given there wins
  // over setHeader(), so the entry is added to it instead.
  const headers = args.find(
    (arg, i) => i > 0 && typeof arg === 'object' && arg !== null && !Array.isArray(arg),
  ) as Record<string, unknown> | undefined;
  const key =
    headers && Object.keys(headers).find((name) => name.toLowerCase() === 'server-timing');
  if (headers && key !== undefined) headers[key] = append(headers[key]);
  else response.setHeader('server-timing', append(response.getHeader('server-timing')));
}

/**
 * Caller → callee: before an outgoing call, check what is known of the request
 * now (route and method rules, time so far over the route's slow threshold).
 * A match marks the local trace keep, so the outgoing `tracestate` carries the
 * mark and the callee keeps its part (reason `caller`). Without this a rule on
 * the caller's route only kept the caller's fragment: rules are otherwise
 * evaluated when the local root ends, after the call has gone out.
 */
export function markBeforeCall(processor: LocalTraceProcessor, span: Span, ctx: Context): boolean {
  // The incoming request's server span and matched route (set by the http and framework instrumentations).
  const metadata = getRPCMetadata(ctx);
  const root = metadata?.span;
  if (root === undefined || !root.isRecording()) return false;
  return (
    processor.shouldTellCaller(span, provisionalSummary(root, metadata?.route, undefined)) !==
    undefined
  );
}

/** What is known of a request before it ends; `route` is the one a framework matched so far. */
function provisionalSummary(
  root: Span,
  route: string | undefined,
  status: number | undefined,
): ProvisionalSummary {
  const readable = root as unknown as ReadableSpan;
  const attributes = readable.attributes;
  return {
    route: route ?? (attributes['http.route'] as string | undefined),
    method: attributes['http.request.method'] as string | undefined,
    path: attributes['url.path'] as string | undefined,
    status,
    elapsedMs: hrTimeToMilliseconds(hrTimeDuration(readable.startTime, hrTime())),
    rootAttributes: attributes,
  };
}

const SERVER_TIMING = 'server-timing';

/** The `Server-Timing` value from undici's raw header list (`[name, value, …]` buffers) or a plain headers object. */
export function serverTimingFrom(headers: unknown): unknown {
  if (Array.isArray(headers)) {
    const values: string[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) {
      // Names are ASCII tokens: only one of 13 bytes (or characters) can be Server-Timing, so
      // the others are never decoded.
      const name = headers[i] as { length?: number } | undefined;
      if (name?.length === SERVER_TIMING.length && String(name).toLowerCase() === SERVER_TIMING) {
        values.push(String(headers[i + 1]));
      }
    }
    return values.length ? values : undefined;
  }
  if (headers && typeof headers === 'object')
    return (headers as Record<string, unknown>)['server-timing'];
  return undefined;
}
