import type { Fields } from './schema-fields';
import { outlierRuleSchema } from './schema-rules';

/** The sampling section. */
export function samplingSchema(fields: Fields) {
  const { z, bool, num, count, duration, size, rate, onOff, on } = fields;
  const outlierRule = outlierRuleSchema(fields);
  return z
    .strictObject({
      baseline: num(
        'Probability of the consistent head sample. Default 0.1.',
        'a probability between 0 and 1',
        0,
        1,
      ).optional(),
      outliers: z
        .strictObject({
          errors: bool('Keep every trace that recorded an error. Default true.').optional(),
          slow: onOff({
            percentile: num(
              'Per-route latency percentile over the window. Default 99.',
              'a percentile between 0 (exclusive) and 100',
              Number.MIN_VALUE,
              100,
            ).optional(),
            window: duration('Sliding window of the percentile. Default 60s.').optional(),
            floor: duration('Never "slow" below this. Default 50ms.').optional(),
            ceiling: duration('Always "slow" above this. Default 2s.').optional(),
          })
            .transform(on)
            .describe('Keep traces slower than their route usually is; false turns it off.')
            .optional(),
          rules: z
            .array(outlierRule, { error: 'a list of rules' })
            .describe('Keep (or drop) traces matching conditions.')
            .optional(),
          budget: rate('Outlier traces kept per second, at most. Default 50/s.').optional(),
        })
        .optional(),
      buffer: z
        .strictObject({
          max_spans: count(
            'Spans held while their trace is undecided, at most. Default 100000.',
          ).optional(),
          max_bytes: size(
            'Bytes held while traces are undecided, at most (estimated). Default 64MB.',
          ).optional(),
          grace: duration(
            'Longest wait, after the local root ends, for children still open then. Default 500ms.',
          ).optional(),
          root_timeout: duration(
            'Decide a local root still open after this long. Default 60s.',
          ).optional(),
        })
        .optional(),
      tell_caller: bool(
        'Tell the caller (Server-Timing) when this service keeps an outlier. Default true.',
      ).optional(),
    })
    .optional();
}
