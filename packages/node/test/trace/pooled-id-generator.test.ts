import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { PooledIdGenerator } from '../../src/trace/pooled-id-generator';

// 3 pools' worth of ids of each kind, so refills are crossed several times.
const SPAN_IDS = 1536;
const TRACE_IDS = 768;

describe('PooledIdGenerator', () => {
  it('makes valid, distinct lowercase hex ids across pool refills', () => {
    const ids = new PooledIdGenerator();
    const spans = Array.from({ length: SPAN_IDS }, () => ids.generateSpanId());
    const traces = Array.from({ length: TRACE_IDS }, () => ids.generateTraceId());
    for (const id of spans) expect(id).toMatch(/^[0-9a-f]{16}$/);
    for (const id of traces) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(spans.every(isValidSpanId) && traces.every(isValidTraceId)).toBe(true);
    expect(new Set(spans).size).toBe(SPAN_IDS);
    expect(new Set(traces).size).toBe(TRACE_IDS);
  });

  it('spreads every hex digit evenly over every position', () => {
    // Consistent sampling reads its randomness from the trace id's last 14 digits: a digit
    // stuck at one value, or a position that repeats, would skew what is kept.
    const ids = new PooledIdGenerator();
    const n = 16_000;
    const counts = Array.from({ length: 32 }, () => new Array<number>(16).fill(0));
    for (let i = 0; i < n; i++) {
      const id = ids.generateTraceId();
      for (let p = 0; p < 32; p++) counts[p][Number.parseInt(id[p], 16)]++;
    }
    // Each digit is expected n/16 = 1000 times per position, standard deviation ~31: ±200
    // fails a broken generator, not a random one.
    for (const position of counts) {
      for (const count of position) expect(Math.abs(count - n / 16)).toBeLessThan(200);
    }
  });

  it('gives two generators different ids', () => {
    const a = new PooledIdGenerator();
    const b = new PooledIdGenerator();
    expect(a.generateTraceId()).not.toBe(b.generateTraceId());
    expect(a.generateSpanId()).not.toBe(b.generateSpanId());
  });
});
