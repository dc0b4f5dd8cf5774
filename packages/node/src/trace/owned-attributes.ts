import type { SpanOptions } from '@opentelemetry/api';

/**
 * A span option that tells the bundle's `startSpan` (scripts/bundle.mjs) the attributes object
 * is the span's to keep: built for this one span and never touched by its maker again. When
 * every value is a string, number or boolean, the span then holds that object instead of a
 * copy the SDK makes key by key. Without the bundle (the published SDK) the option is ignored
 * and the SDK copies, as always. `Symbol.for`, so the patched SDK needs no import from Strata.
 */
export const OWNED_ATTRIBUTES: unique symbol = Symbol.for('strata.ownedAttributes') as never;

/** Span options whose `attributes` are fresh and handed over to the span. */
export type OwnedSpanOptions = SpanOptions & { [OWNED_ATTRIBUTES]: true };
