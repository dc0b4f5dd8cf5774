import type { Attributes, Meter } from '@opentelemetry/api';

/** Self-metrics of the local-trace processor (names documented in the package README). */
export interface SelfMetrics {
  trace(reason: string, keep: boolean): void;
  droppedSpans(reason: 'buffer_full' | 'shutdown' | 'untracked', count: number): void;
  lateSpan(keep: boolean): void;
  earlyTrace(cause: 'buffer_full' | 'timeout' | 'flush'): void;
}

const NOOP: SelfMetrics = {
  trace() {},
  droppedSpans() {},
  lateSpan() {},
  earlyTrace() {},
};

/** Create the instruments on `meter` (no-op without one); `buffer` is read by the observable gauges. */
export function createSelfMetrics(
  meter: Meter | undefined,
  buffer: () => { spans: number; bytes: number },
): SelfMetrics {
  if (meter === undefined) return NOOP;
  // Observable counters over cells the hot path increments: `counter.add()`
  // hashes its attribute set on every call, once per trace here. Cells are
  // bounded: reasons come from the config (rule names) and fixed lists.
  const cells = (name: string, description: string) => {
    const byKey = new Map<string, { attrs: Attributes; n: number }>();
    meter.createObservableCounter(name, { description }).addCallback((result) => {
      for (const cell of byKey.values()) result.observe(cell.n, cell.attrs);
    });
    return (key: string, make: () => Attributes, n = 1): void => {
      let cell = byKey.get(key);
      if (cell === undefined) {
        cell = { attrs: make(), n: 0 };
        byKey.set(key, cell);
      }
      cell.n += n;
    };
  };
  const traces = cells(
    'strata.sampling.traces',
    'Local traces decided, by reason (what the trace was) and decision (keep|drop).',
  );
  const dropped = cells(
    'strata.sampling.dropped.spans',
    'Spans lost outside a trace decision (buffer full, after shutdown, unknown to the processor).',
  );
  const late = cells(
    'strata.sampling.late.spans',
    'Spans that ended after their local trace was decided; they follow its decision.',
  );
  const early = cells(
    'strata.sampling.early.traces',
    'Local traces decided before they were complete (buffer full, root timeout, flush).',
  );
  meter
    .createObservableGauge('strata.sampling.buffer.spans', { description: 'Ended spans buffered.' })
    .addCallback((result) => result.observe(buffer().spans));
  meter
    .createObservableGauge('strata.sampling.buffer.bytes', {
      description: 'Estimated bytes buffered.',
      unit: 'By',
    })
    .addCallback((result) => result.observe(buffer().bytes));
  const keepKey = (keep: boolean) => (keep ? 'keep' : 'drop');
  return {
    trace: (reason, keep) =>
      traces(keep ? `k${reason}` : `d${reason}`, () => ({ reason, decision: keepKey(keep) })),
    droppedSpans: (reason, count) => dropped(reason, () => ({ reason }), count),
    lateSpan: (keep) => late(keepKey(keep), () => ({ decision: keepKey(keep) })),
    earlyTrace: (cause) => early(cause, () => ({ cause })),
  };
}
