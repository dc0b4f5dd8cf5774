import type { ReadableSpan, Span } from '@opentelemetry/sdk-trace';
import type { KeepReason, TraceDecision } from '../types';

/** Root not ended yet. */
export const OPEN = 0;
/** Root ended, waiting `grace` for late children. */
export const ENDED = 1;
/** Decided: later spans follow `decision`. */
export const DECIDED = 2;

const NO_SPANS: ReadableSpan[] = [];

/**
 * One local trace being assembled. A class so every instance has the same
 * shape; linked into one of the processor's lists through prev/next, so
 * removal is O(1) and needs no Map. Spans reach it through a processor's symbol-keyed property, which
 * also makes the decision available to spans that end after it (late spans)
 * for as long as the application holds them: no separate decision cache.
 */
export class LocalTraceEntry {
  root: Span | undefined;
  spans: ReadableSpan[] = [];
  bytes = 0;
  /** Children started and not yet ended: none left when the root ends means no grace is needed. */
  openChildren = 0;
  state = OPEN;
  decision: TraceDecision | undefined = undefined;
  /** Keep already decided before the end (markKeep, or the caller's tracestate). */
  mark: KeepReason | undefined = undefined;
  /** Monotonic ms when the root started, and ended. */
  startedAt: number;
  endedAt = 0;
  prev: LocalTraceEntry | undefined = undefined;
  next: LocalTraceEntry | undefined = undefined;

  constructor(root: Span, startedAt: number) {
    this.root = root;
    this.startedAt = startedAt;
  }

  /** Forget the buffered spans once decided (they go to the exporter or the GC). */
  settle(decision: TraceDecision): void {
    this.state = DECIDED;
    this.decision = decision;
    this.spans = NO_SPANS;
    this.bytes = 0;
    this.root = undefined;
  }
}

/** An intrusive doubly-linked FIFO of entries (oldest at head). */
export class EntryList {
  head: LocalTraceEntry | undefined = undefined;
  tail: LocalTraceEntry | undefined = undefined;
  size = 0;

  push(entry: LocalTraceEntry): void {
    entry.prev = this.tail;
    entry.next = undefined;
    if (this.tail !== undefined) this.tail.next = entry;
    else this.head = entry;
    this.tail = entry;
    this.size++;
  }

  remove(entry: LocalTraceEntry): void {
    if (entry.prev !== undefined) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next !== undefined) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = entry.next = undefined;
    this.size--;
  }
}
