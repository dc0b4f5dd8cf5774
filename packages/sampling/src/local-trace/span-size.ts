import type { ReadableSpan } from '@opentelemetry/sdk-trace';

// Calibrated against heapUsed deltas (bench/processor.bench.js): an SDK span
// with a handful of short attributes retains about this much. The estimate
// only has to be proportionate, not exact; it must be cheap (hot path).
const SPAN_BASE = 900;
const PER_ATTRIBUTE = 40;
const PER_EVENT = 200;
const PER_LINK = 120;

/** Rough retained bytes of an ended span: a base, plus attributes (string lengths), events and links. */
export function estimateSpanBytes(span: ReadableSpan): number {
  let bytes = SPAN_BASE + span.name.length;
  const attributes = span.attributes;
  for (const key in attributes) {
    const value = attributes[key];
    bytes += PER_ATTRIBUTE + key.length;
    if (typeof value === 'string') bytes += value.length;
    else if (Array.isArray(value)) bytes += 16 * value.length;
  }
  const events = span.events.length;
  const links = span.links.length;
  if (events !== 0) bytes += events * PER_EVENT;
  if (links !== 0) bytes += links * PER_LINK;
  return bytes;
}
