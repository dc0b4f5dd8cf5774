import type { SpanOptions } from '@opentelemetry/api';

/**
 * A span option that tells Strata's tracer (strata-tracer.ts) the attributes object is the
 * span's to keep: built for this one span and never touched by its maker again. When every
 * value is a string, number or boolean, the span then holds that object instead of a copy
 * made key by key. Any other tracer ignores the option and copies, as always.
 */
export const OWNED_ATTRIBUTES: unique symbol = Symbol.for('strata.ownedAttributes') as never;

/** Span options whose `attributes` are fresh and handed over to the span. */
export type OwnedSpanOptions = SpanOptions & { [OWNED_ATTRIBUTES]: true };
