import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../src/outlier/token-bucket';

describe('createTokenBucket', () => {
  it('starts full, empties, and refills at its rate up to one second of capacity', () => {
    const clock = { t: 0 };
    const bucket = createTokenBucket(5, () => clock.t);
    let taken = 0;
    while (bucket.take()) taken++;
    expect(taken).toBe(5);
    clock.t += 400;
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    clock.t += 60_000;
    expect(bucket.available()).toBe(5);
  });

  it('keeps a reserve for higher priorities', () => {
    const bucket = createTokenBucket(10, () => 0);
    let taken = 0;
    while (bucket.take(5)) taken++;
    expect(taken).toBe(5);
    expect(bucket.take()).toBe(true);
  });

  it('never admits anything with a zero budget', () => {
    const bucket = createTokenBucket(0, () => 0);
    expect(bucket.take()).toBe(false);
  });
});
