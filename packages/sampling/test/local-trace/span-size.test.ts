import { describe, expect, it } from 'vitest';
import { estimateSpanBytes } from '../../src/local-trace/span-size';
import { setup } from '../helpers/provider';

describe('estimateSpanBytes', () => {
  it('grows with attributes, string lengths, events and links', () => {
    const { tracer } = setup();
    const plain = tracer.startSpan('s');
    const rich = tracer.startSpan('s', {
      attributes: { 'db.query.text': 'x'.repeat(1000), n: 1, list: ['a', 'b'] },
    });
    rich.addEvent('e');
    plain.end();
    rich.end();
    const base = estimateSpanBytes(plain as never);
    expect(base).toBeGreaterThan(500);
    expect(estimateSpanBytes(rich as never)).toBeGreaterThan(base + 1000 + 3 * 40 + 200);
  });
});
