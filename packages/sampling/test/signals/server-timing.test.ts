import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatServerTimingKeep, parseServerTimingKeep } from '../../src/signals/server-timing';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const OTHER = '0af7651916cd43dd8448eb211c80319c';

describe('formatServerTimingKeep', () => {
  it('writes a traceparent entry with the sampled flag', () => {
    expect(formatServerTimingKeep(TRACE, SPAN)).toBe(`traceparent;desc="00-${TRACE}-${SPAN}-01"`);
  });

  it.each([
    ['0'.repeat(32), SPAN],
    [TRACE, '0'.repeat(16)],
    [TRACE.toUpperCase(), SPAN],
    ['xyz', SPAN],
  ])('refuses invalid ids %s %s', (traceId, spanId) => {
    expect(formatServerTimingKeep(traceId, spanId)).toBeUndefined();
  });
});

describe('parseServerTimingKeep', () => {
  it.each([
    [`traceparent;desc="00-${TRACE}-${SPAN}-01"`, true],
    [`traceparent;desc=00-${TRACE}-${SPAN}-01`, true],
    [`db;dur=53, app;dur=47.2;desc="a, b", traceparent;desc="00-${TRACE}-${SPAN}-01"`, true],
    [`TraceParent ; DESC = "00-${TRACE}-${SPAN}-03"`, true],
    [[`cache;desc="hit"`, `traceparent;desc="00-${TRACE}-${SPAN}-01"`], true],
    [`traceparent;desc="01-${TRACE}-${SPAN}-01-future"`, true],
    [`traceparent;desc="00-${TRACE}-${SPAN}-00"`, false],
    [`traceparent;desc="00-${OTHER}-${SPAN}-01"`, false],
    [`traceparent;desc="00-${TRACE}-${SPAN}-01-extra"`, false],
    [`traceparent;desc="ff-${TRACE}-${SPAN}-01"`, false],
    [`traceparent;desc="00-${TRACE}-${'0'.repeat(16)}-01"`, false],
    [`traceparent;desc="00-${TRACE.toUpperCase()}-${SPAN}-01"`, false],
    [`traceparent;desc="00-${TRACE}-${SPAN}-01`, false],
    [`traceparent;dur="00-${TRACE}-${SPAN}-01"`, false],
    [`app;desc="traceparent;desc=\\"00-${TRACE}-${SPAN}-01\\""`, false],
    [`other;desc="00-${TRACE}-${SPAN}-01"`, false],
    ['', false],
    [undefined, false],
    [42, false],
    [`traceparent;desc="00-${TRACE}-${SPAN}-01"${' '.repeat(10_000)}`, false],
  ])('%s → %s', (header, expected) => {
    expect(parseServerTimingKeep(header, TRACE)).toBe(expected);
  });

  it('round-trips what formatServerTimingKeep writes, for any valid ids', () => {
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
    fc.assert(
      fc.property(hex(32), hex(16), (traceId, spanId) => {
        fc.pre(!/^0+$/.test(traceId) && !/^0+$/.test(spanId));
        const entry = formatServerTimingKeep(traceId, spanId)!;
        expect(parseServerTimingKeep(`total;dur=3, ${entry}`, traceId)).toBe(true);
        expect(parseServerTimingKeep(entry, traceId === OTHER ? TRACE : OTHER)).toBe(false);
      }),
    );
  });

  it('never throws and never accepts a foreign trace, whatever the header', () => {
    const header = fc.oneof(
      fc.string(),
      fc.array(fc.string()),
      fc.anything(),
      fc
        .array(
          fc.constantFrom(
            'traceparent',
            ';',
            ',',
            '"',
            '\\',
            '=',
            'desc',
            '00-',
            TRACE,
            `-${SPAN}`,
            '-01',
            ' ',
          ),
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(header, (value) => {
        expect(typeof parseServerTimingKeep(value, OTHER)).toBe('boolean');
        expect(parseServerTimingKeep(value, OTHER)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('only accepts headers holding the expected trace id in a sampled traceparent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), (value) => {
        if (parseServerTimingKeep(value, TRACE))
          expect(value.toLowerCase()).toContain(`00-${TRACE}-`);
      }),
      { numRuns: 2000 },
    );
  });
});
