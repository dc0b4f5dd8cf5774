import type { Attributes, Counter, Meter } from '@opentelemetry/api';

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
  const traces = meter.createCounter('strata.sampling.traces', {
    description: 'Local traces decided, by reason (what the trace was) and decision (keep|drop).',
  });
  const dropped = meter.createCounter('strata.sampling.dropped.spans', {
    description:
      'Spans lost outside a trace decision (buffer full, after shutdown, unknown to the processor).',
  });
  const late = meter.createCounter('strata.sampling.late.spans', {
    description: 'Spans that ended after their local trace was decided; they follow its decision.',
  });
  const early = meter.createCounter('strata.sampling.early.traces', {
    description:
      'Local traces decided before they were complete (buffer full, root timeout, flush).',
  });
  meter
    .createObservableGauge('strata.sampling.buffer.spans', { description: 'Ended spans buffered.' })
    .addCallback((result) => result.observe(buffer().spans));
  meter
    .createObservableGauge('strata.sampling.buffer.bytes', {
      description: 'Estimated bytes buffered.',
      unit: 'By',
    })
    .addCallback((result) => result.observe(buffer().bytes));
  // Attribute sets are cached: reasons are bounded (rule names come from the config).
  const cache = new Map<string, Attributes>();
  const attrs = (key: string, make: () => Attributes): Attributes => {
    let value = cache.get(key);
    if (value === undefined) {
      value = make();
      cache.set(key, value);
    }
    return value;
  };
  const add = (counter: Counter, key: string, make: () => Attributes, n = 1): void =>
    counter.add(n, attrs(key, make));
  return {
    trace: (reason, keep) =>
      add(traces, `t${keep}${reason}`, () => ({ reason, decision: keep ? 'keep' : 'drop' })),
    droppedSpans: (reason, count) => add(dropped, `d${reason}`, () => ({ reason }), count),
    lateSpan: (keep) => add(late, `l${keep}`, () => ({ decision: keep ? 'keep' : 'drop' })),
    earlyTrace: (cause) => add(early, `e${cause}`, () => ({ cause })),
  };
}
