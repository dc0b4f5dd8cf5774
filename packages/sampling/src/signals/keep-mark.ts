import type { TraceState } from '@opentelemetry/api';
import { TraceState as W3CTraceState } from '@opentelemetry/core';

/** tracestate vendor key of the caller → callee keep signal (`strata=k`). */
export const KEEP_MARK_KEY = 'strata';
/** Value meaning "the caller keeps this trace". */
export const KEEP_MARK_VALUE = 'k';

/** The tracestate with the keep mark added (a new tracestate when there was none). */
export function withKeepMark(traceState: TraceState | undefined): TraceState {
  if (traceState?.get(KEEP_MARK_KEY) === KEEP_MARK_VALUE) return traceState;
  return (traceState ?? new W3CTraceState()).set(KEEP_MARK_KEY, KEEP_MARK_VALUE);
}

/** Whether a tracestate carries the keep mark; anything else under the key is ignored. */
export function hasKeepMark(traceState: TraceState | undefined): boolean {
  try {
    return traceState?.get(KEEP_MARK_KEY) === KEEP_MARK_VALUE;
  } catch {
    // A foreign TraceState implementation must not break the request path.
    return false;
  }
}
