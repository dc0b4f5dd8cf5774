/** A token bucket refilled at `rate` tokens per second, holding at most `capacity` (one second's worth). */
export interface TokenBucket {
  /** Take one token if more than `reserve` tokens would remain beforehand; `reserve` keeps room for higher priorities. */
  take(reserve?: number): boolean;
  /** Take one token if there is one, else nothing: never fails (for commitments already made elsewhere). */
  drain(): void;
  /** Tokens available now. */
  available(): number;
  readonly capacity: number;
}

/** Create a token bucket; starts full. `now` returns milliseconds. */
export function createTokenBucket(rate: number, now: () => number): TokenBucket {
  const perMs = Math.max(0, rate) / 1000;
  const capacity = Math.max(1, rate);
  let tokens = rate > 0 ? capacity : 0;
  let last = now();
  const refill = (): void => {
    const t = now();
    if (t > last) tokens = Math.min(capacity, tokens + (t - last) * perMs);
    last = t;
  };
  return {
    capacity,
    take(reserve = 0) {
      refill();
      if (tokens - reserve < 1) return false;
      tokens -= 1;
      return true;
    },
    drain() {
      refill();
      if (tokens >= 1) tokens -= 1;
    },
    available() {
      refill();
      return tokens;
    },
  };
}
