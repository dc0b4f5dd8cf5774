// The global `performance` is a lazy accessor on globalThis: every use calls a getter.
import { performance } from 'node:perf_hooks';
import { type Context, diag, type Meter, TraceFlags, trace } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { createOutlierDecider, type OutlierDecider } from '../outlier/outlier-decider';
import { hasKeepMark } from '../signals/keep-mark';
import type {
  BufferOptions,
  KeepReason,
  LocalTrace,
  LocalTraceExporter,
  LocalTraceFacts,
  ProvisionalSummary,
  TraceDecision,
} from '../types';
import { DECIDED, ENDED, EntryList, LocalTraceEntry, OPEN } from './local-trace-entry';
import { createSelfMetrics } from './self-metrics';
import { estimateSpanBytes } from './span-size';
import { summarizeLocalTrace } from './trace-summary';

/** Root span attribute naming why a kept local trace was kept. */
export const ATTR_SAMPLING_REASON = 'strata.sampling.reason';

/** Options of the local-trace processor. */
export interface LocalTraceProcessorOptions {
  /** Where kept spans go (the node package's bounded export queue). */
  exporter: LocalTraceExporter;
  /** Runs once per local trace before the decision (layer attribution); may set root attributes. */
  onLocalTrace?: (trace: LocalTrace) => LocalTraceFacts | undefined;
  /** The outlier decision; default: errors only, budget 50/s. Share it with `shouldTellCaller`. */
  decider?: OutlierDecider;
  /** Bounds; defaults 100,000 spans, 64 MB, grace 500 ms, root timeout 60 s. */
  buffer?: Partial<BufferOptions>;
  /** Self-metrics go here when given. */
  meter?: Meter;
}

/** Counters and gauges of the processor, for tests and diagnostics. */
export interface LocalTraceStats {
  bufferedSpans: number;
  bufferedBytes: number;
  openTraces: number;
  pendingTraces: number;
  keptTraces: number;
  droppedTraces: number;
  /** Traces decided before complete: buffer full, root timeout, flush. */
  earlyTraces: { buffer_full: number; timeout: number; flush: number };
  /** Spans lost outside a decision. */
  droppedSpans: { buffer_full: number; shutdown: number; untracked: number };
  /** Spans that ended after their trace's decision, and were exported (kept) or dropped. */
  lateSpans: { keep: number; drop: number };
  /** Exceptions caught from the consumer hook, the decider and the exporter. */
  errors: { hook: number; decider: number; exporter: number };
}

/** The local-trace buffer: groups spans by local root, decides each local trace once, exports kept ones. */
export interface LocalTraceProcessor extends SpanProcessor {
  stats(): LocalTraceStats;
  /** Commit to keep the local trace of `span` (a rule matched, an error, the callee asked); false when the budget or a past drop says no. */
  markKeep(span: object | undefined, reason: KeepReason): boolean;
  /** Whether the local trace of `span` is committed to be kept (for the outgoing `tracestate` mark). */
  isMarkedKeep(span: object | undefined): boolean;
  /**
   * At response time (before headers are sent): whether to tell the caller this
   * trace is kept (`Server-Timing`). A yes marks the local trace keep, paid once
   * from the budget. `undefined` for baseline-sampled traces (the caller keeps
   * them already through `th`) and for spans unknown to this processor.
   */
  shouldTellCaller(span: object | undefined, summary: ProvisionalSummary): KeepReason | undefined;
}

type Tracked = Record<symbol, LocalTraceEntry | undefined>;
/** Evictions per span at most when the buffer is full: bounded work on the application's thread. */
const MAX_EVICTIONS = 16;

/** Create the local-trace processor. */
export function createLocalTraceProcessor(
  options: LocalTraceProcessorOptions,
): LocalTraceProcessor {
  const maxSpans = Math.max(1, options.buffer?.max_spans ?? 100_000);
  const maxBytes = Math.max(1, options.buffer?.max_bytes ?? 64e6);
  const grace = Math.max(0, options.buffer?.grace ?? 500);
  const rootTimeout = Math.max(1, options.buffer?.root_timeout ?? 60_000);
  // Decisions are batched on one timer; this is how late past its deadline one may be.
  const resolution = Math.max(1, Math.min(50, grace / 4));
  const exporter = options.exporter;
  const hook = options.onLocalTrace;
  const decider = options.decider ?? createOutlierDecider();
  const now = (): number => performance.now();
  // One key per processor: a span of another provider (or another Strata copy) is not ours.
  const LOCAL_TRACE = Symbol('strata.sampling.localTrace');

  const open = new EntryList();
  const pending = new EntryList();
  let spans = 0;
  let bytes = 0;
  let shut = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  const stats: LocalTraceStats = {
    bufferedSpans: 0,
    bufferedBytes: 0,
    openTraces: 0,
    pendingTraces: 0,
    keptTraces: 0,
    droppedTraces: 0,
    earlyTraces: { buffer_full: 0, timeout: 0, flush: 0 },
    droppedSpans: { buffer_full: 0, shutdown: 0, untracked: 0 },
    lateSpans: { keep: 0, drop: 0 },
    errors: { hook: 0, decider: 0, exporter: 0 },
  };
  const metrics = createSelfMetrics(options.meter, () => ({ spans, bytes }));

  const exportSpans = (batch: ReadableSpan[]): void => {
    try {
      exporter.export(batch);
    } catch (error) {
      if (stats.errors.exporter++ === 0) diag.warn('Strata: span export failed', error);
    }
  };

  const decide = (entry: LocalTraceEntry, cause?: 'buffer_full' | 'timeout' | 'flush'): void => {
    (entry.state === OPEN ? open : pending).remove(entry);
    const root = entry.root!;
    const batch = entry.spans;
    spans -= batch.length;
    bytes -= entry.bytes;
    const complete = cause === undefined;
    if (!complete) {
      stats.earlyTraces[cause]++;
      metrics.earlyTrace(cause);
    }
    let facts: LocalTraceFacts | undefined;
    if (hook !== undefined) {
      try {
        facts = hook({ root, spans: batch, complete });
      } catch (error) {
        if (stats.errors.hook++ === 0) diag.warn('Strata: local trace consumer failed', error);
      }
    }
    let decision: TraceDecision;
    try {
      const summary = summarizeLocalTrace(root, batch, facts, now() - entry.startedAt, entry.mark);
      decision = decider.decide(summary);
    } catch (error) {
      if (stats.errors.decider++ === 0) diag.warn('Strata: sampling decision failed', error);
      decision = { keep: entry.mark !== undefined, reason: entry.mark ?? 'none' };
    }
    entry.settle(decision);
    metrics.trace(decision.reason, decision.keep);
    if (!decision.keep) {
      stats.droppedTraces++;
      return;
    }
    stats.keptTraces++;
    // The root has ended (its attributes object is still ours until export) or is still open.
    if (root.ended)
      (root.attributes as Record<string, unknown>)[ATTR_SAMPLING_REASON] = decision.reason;
    else root.setAttribute(ATTR_SAMPLING_REASON, decision.reason);
    if (batch.length !== 0) exportSpans(batch);
  };

  const tick = (): void => {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    try {
      const t = now();
      while (pending.head !== undefined && pending.head.endedAt + grace <= t) decide(pending.head);
      while (open.head !== undefined && open.head.startedAt + rootTimeout <= t)
        decide(open.head, 'timeout');
    } catch (error) {
      diag.error('Strata: local trace timer failed', error);
    }
    schedule();
  };

  // One timer for every local trace: armed for the earliest deadline (lists are in deadline order).
  const schedule = (): void => {
    if (shut) return;
    const at = Math.min(
      pending.head !== undefined ? pending.head.endedAt + grace : Number.POSITIVE_INFINITY,
      open.head !== undefined ? open.head.startedAt + rootTimeout : Number.POSITIVE_INFINITY,
    );
    if (at === Number.POSITIVE_INFINITY || at >= timerAt - resolution) return;
    if (timer !== undefined) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(tick, Math.max(resolution, at - now()));
    timer.unref();
  };

  const makeRoom = (need: number): void => {
    for (let i = 0; i < MAX_EVICTIONS; i++) {
      if (spans + 1 <= maxSpans && bytes + need <= maxBytes) return;
      const oldest = pending.head ?? open.head;
      if (oldest === undefined) return;
      decide(oldest, 'buffer_full');
    }
  };

  const late = (entry: LocalTraceEntry, span: ReadableSpan): void => {
    const keep = entry.decision!.keep;
    if (keep) {
      stats.lateSpans.keep++;
      exportSpans([span]);
    } else stats.lateSpans.drop++;
    metrics.lateSpan(keep);
  };

  const flushAll = (): void => {
    while (pending.head !== undefined) decide(pending.head);
    while (open.head !== undefined) decide(open.head, 'flush');
  };

  return {
    onStart(span: Span, parentContext: Context): void {
      if (shut) return;
      try {
        const parent = trace.getSpan(parentContext) as Tracked | undefined;
        let entry = parent?.[LOCAL_TRACE];
        if (entry === undefined) {
          // Parent invalid, remote, non-recording or of another provider: a local root.
          entry = new LocalTraceEntry(span, now());
          if (hasKeepMark(span.parentSpanContext?.traceState) && decider.admit('caller')) {
            entry.mark = 'caller';
          }
          open.push(entry);
          if (open.size === 1) schedule();
        } else if (entry.state !== DECIDED) {
          entry.openChildren++;
        }
        (span as unknown as Tracked)[LOCAL_TRACE] = entry;
      } catch (error) {
        diag.error('Strata: local trace onStart failed', error);
      }
    },

    onEnd(span: ReadableSpan): void {
      try {
        const entry = (span as unknown as Tracked)[LOCAL_TRACE];
        if (entry === undefined || shut) {
          const reason = shut ? 'shutdown' : 'untracked';
          stats.droppedSpans[reason]++;
          metrics.droppedSpans(reason, 1);
          return;
        }
        if (entry.state === DECIDED) {
          late(entry, span);
          return;
        }
        if (span !== entry.root && --entry.openChildren <= 0 && entry.state === ENDED) {
          // The last child of an ended root: the trace is complete, no need to
          // wait out the rest of the grace.
          entry.spans.push(span);
          const size = estimateSpanBytes(span);
          entry.bytes += size;
          spans++;
          bytes += size;
          decide(entry);
          return;
        }
        const size = estimateSpanBytes(span);
        if (spans + 1 > maxSpans || bytes + size > maxBytes) {
          makeRoom(size);
          if (entry.state === DECIDED) {
            late(entry, span);
            return;
          }
          if (spans + 1 > maxSpans || bytes + size > maxBytes) {
            if (span === entry.root) {
              // No room even for the root: decide its trace now rather than lose the decision.
              entry.spans.push(span);
              entry.bytes += size;
              spans++;
              bytes += size;
              decide(entry, 'buffer_full');
              return;
            }
            stats.droppedSpans.buffer_full++;
            metrics.droppedSpans('buffer_full', 1);
            return;
          }
        }
        entry.spans.push(span);
        entry.bytes += size;
        spans++;
        bytes += size;
        if (span === entry.root) {
          open.remove(entry);
          entry.state = ENDED;
          entry.endedAt = now();
          pending.push(entry);
          // Every child has ended: nothing to wait for. Deciding now keeps
          // spans from outliving a young-generation GC for the whole grace,
          // which made them the main source of promotion and GC time.
          if (entry.openChildren <= 0) decide(entry);
          else schedule();
        }
      } catch (error) {
        diag.error('Strata: local trace onEnd failed', error);
      }
    },

    async forceFlush(): Promise<void> {
      // Decide what has ended; requests still in flight keep their chance to
      // be captured as outliers (the application may be draining, not dying).
      while (pending.head !== undefined) decide(pending.head);
      await exporter.forceFlush?.();
    },

    async shutdown(): Promise<void> {
      if (shut) return;
      flushAll();
      shut = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await exporter.forceFlush?.();
    },

    markKeep(target, reason) {
      const entry = (target as Tracked | undefined)?.[LOCAL_TRACE];
      if (entry === undefined) return false;
      if (entry.state === DECIDED) return entry.decision!.keep;
      if (entry.mark !== undefined) return true;
      if (!decider.admit(reason)) return false;
      entry.mark = reason;
      return true;
    },

    isMarkedKeep(target) {
      const entry = (target as Tracked | undefined)?.[LOCAL_TRACE];
      if (entry === undefined) return false;
      return entry.mark !== undefined || (entry.state === DECIDED && entry.decision!.keep);
    },

    shouldTellCaller(target, summary) {
      try {
        const entry = (target as Tracked | undefined)?.[LOCAL_TRACE];
        if (entry === undefined) return undefined;
        if (entry.state === DECIDED) {
          const { keep, reason } = entry.decision!;
          return keep && reason !== 'baseline' && reason !== 'none' ? reason : undefined;
        }
        if (entry.mark !== undefined) return entry.mark;
        if ((entry.root!.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) return undefined;
        const reason = decider.shouldTellCaller(summary);
        if (reason !== undefined) entry.mark = reason;
        return reason;
      } catch (error) {
        diag.error('Strata: shouldTellCaller failed', error);
        return undefined;
      }
    },

    stats() {
      return {
        ...stats,
        bufferedSpans: spans,
        bufferedBytes: bytes,
        openTraces: open.size,
        pendingTraces: pending.size,
        earlyTraces: { ...stats.earlyTraces },
        droppedSpans: { ...stats.droppedSpans },
        lateSpans: { ...stats.lateSpans },
        errors: { ...stats.errors },
      };
    },
  };
}
