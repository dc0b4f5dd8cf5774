// OpenTelemetry consistent probability sampling: `ot=th:<hex>` is the rejection threshold, the
// first up-to-14 hex digits of a 56-bit number; p = (2^56 - th) / 2^56 and the adjusted count
// of a kept span is 1/p. https://opentelemetry.io/docs/specs/otel/trace/tracestate-probability-sampling/
const MAX = 2 ** 56;

/** The `th` value of an OpenTelemetry tracestate entry, as a 56-bit integer (undefined when absent). */
export function thresholdOf(traceState: string): number | undefined {
  const ot = traceState
    .split(',')
    .map((entry) => entry.trim())
    .find((entry) => entry.startsWith('ot='));
  if (!ot) return undefined;
  const th = ot
    .slice(3)
    .split(';')
    .find((field) => field.startsWith('th:'));
  if (!th) return undefined;
  const hex = th.slice(3);
  if (!/^[0-9a-f]{1,14}$/.test(hex)) return undefined;
  return Number.parseInt(hex.padEnd(14, '0'), 16);
}

/** Sampling probability of a tracestate's `th` (undefined when there is none). */
export function probabilityOf(traceState: string): number | undefined {
  const th = thresholdOf(traceState);
  return th === undefined ? undefined : (MAX - th) / MAX;
}

/** Adjusted count (1/p) of a tracestate's `th`; undefined when there is none. */
export function adjustedCount(traceState: string): number | undefined {
  const p = probabilityOf(traceState);
  return p === undefined || p === 0 ? undefined : 1 / p;
}
