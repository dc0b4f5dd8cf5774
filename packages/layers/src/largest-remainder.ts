/**
 * Round non-negative shares to integers that sum exactly to `total` (largest-remainder method).
 * `order` lists the share indices to round, in canonical order: the result follows it and ties
 * go to the earlier one. The shares should sum to `total` up to floating-point error; any
 * deficit or excess is still spread over the entries, never making one negative.
 */
export function largestRemainder(shares: Float64Array, order: number[], total: number): number[] {
  const count = order.length;
  const out: number[] = new Array(count);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    out[i] = Math.floor(Math.max(shares[order[i]], 0) || 0);
    sum += out[i];
  }
  let deficit = total - sum;
  if (deficit === 0 || count === 0) return out;
  const rank: number[] = new Array(count);
  const rest: number[] = new Array(count);
  for (let i = 0; i < count; i++) {
    rank[i] = i;
    rest[i] = shares[order[i]] - out[i];
  }
  if (deficit > 0) {
    rank.sort((a, b) => rest[b] - rest[a] || a - b);
    for (let k = 0; deficit > 0; k = (k + 1) % count, deficit--) out[rank[k]]++;
  } else {
    rank.sort((a, b) => rest[a] - rest[b] || a - b);
    for (let k = 0, idle = 0; deficit < 0 && idle < count; k = (k + 1) % count) {
      if (out[rank[k]] > 0) {
        out[rank[k]]--;
        deficit++;
        idle = 0;
      } else idle++;
    }
  }
  return out;
}
