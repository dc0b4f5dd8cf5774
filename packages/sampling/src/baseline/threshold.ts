/** Randomness and thresholds are 56-bit values (OpenTelemetry consistent probability sampling). */
const SCALE = 2 ** 56;

/**
 * Rejection threshold `th` for a probability, hex without trailing zeros, as the
 * specification encodes it (tracestate-probability-sampling): 0.5 → `8`,
 * 0.1 → `e6666666666666`, 1 → `0`; `undefined` for 0 (nothing is sampled).
 * Same rounding as @opentelemetry/sampler-composite, so both print the same value.
 */
export function formatThreshold(probability: number): string | undefined {
  if (!(probability > 0)) return undefined;
  if (probability >= 1) return '0';
  const hex = thresholdDigits(probability);
  return hex.replace(/0+$/, '') || '0';
}

/** The rejection threshold of a probability in (0, 1) as 14 hex digits (56 bits). */
export function thresholdDigits(probability: number): string {
  return ((1n << 56n) - BigInt(Math.round(probability * SCALE))).toString(16).padStart(14, '0');
}

/** Clamp a configured probability into [0, 1]; `NaN` reads as 0. */
export function clampProbability(probability: number): number {
  if (!(probability > 0)) return 0;
  return Math.min(probability, 1);
}
