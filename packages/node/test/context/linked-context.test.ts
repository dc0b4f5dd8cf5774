import { createContextKey, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { linkedContext } from '../../src/context/linked-context';

const A = createContextKey('a');
const B = createContextKey('b');

describe('linkedContext', () => {
  it('reads its own bindings, nearest first, then the base context', () => {
    const base = ROOT_CONTEXT.setValue(A, 'base-a').setValue(B, 'base-b');
    const ctx = linkedContext(base).setValue(A, 'a1');
    const child = ctx.setValue(A, 'a2');
    expect(ctx.getValue(A)).toBe('a1');
    expect(child.getValue(A)).toBe('a2');
    expect(child.getValue(B)).toBe('base-b');
    expect(child.getValue(createContextKey('missing'))).toBeUndefined();
  });

  it('is immutable: deriving leaves the parent as it was', () => {
    const parent = linkedContext(ROOT_CONTEXT).setValue(A, 1);
    const child = parent.setValue(B, 2).deleteValue(A);
    expect(parent.getValue(A)).toBe(1);
    expect(parent.getValue(B)).toBeUndefined();
    expect(child.getValue(A)).toBeUndefined();
    expect(child.getValue(B)).toBe(2);
  });

  it("deletes a base context's value, and can set it again", () => {
    const ctx = linkedContext(ROOT_CONTEXT.setValue(A, 'base')).deleteValue(A);
    expect(ctx.getValue(A)).toBeUndefined();
    expect(ctx.setValue(A, 'again').getValue(A)).toBe('again');
  });

  it('keeps every binding when a long chain is flattened', () => {
    const keys = Array.from({ length: 100 }, (_, i) => createContextKey(`k${i}`));
    let ctx = linkedContext(ROOT_CONTEXT.setValue(A, 'base'));
    for (let i = 0; i < keys.length; i++) ctx = ctx.setValue(keys[i], i);
    ctx = ctx.deleteValue(keys[3]).setValue(keys[5], 'five');
    for (let i = 0; i < 40; i++) ctx = ctx.setValue(B, i);
    expect(keys.map((k) => ctx.getValue(k))).toEqual(
      keys.map((_, i) => (i === 3 ? undefined : i === 5 ? 'five' : i)),
    );
    expect(ctx.getValue(A)).toBe('base');
    expect(ctx.getValue(B)).toBe(39);
  });

  it('works with the API helpers that keep spans in a context', () => {
    const span = trace.wrapSpanContext({
      traceId: '1'.repeat(32),
      spanId: '2'.repeat(16),
      traceFlags: 1,
    });
    const ctx = trace.setSpan(linkedContext(ROOT_CONTEXT), span);
    expect(trace.getSpan(ctx)).toBe(span);
    expect(trace.getSpan(trace.deleteSpan(ctx))).toBeUndefined();
  });
});
