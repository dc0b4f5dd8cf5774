import type { LayerSpan } from './types';

const RUN = 16;

/**
 * Sort events (2·span for a start, 2·span+1 for an end) in place by time, then span id, then
 * event: a canonical order, so the float sums of the sweep do not depend on the input order.
 * `time[e]` is the event's time; `tmp` has room for `count`. Bottom-up merge sort over
 * insertion-sorted runs: O(n log n) whatever the input.
 */
export function sortEvents(
  events: Int32Array,
  tmp: Int32Array,
  count: number,
  time: Float64Array,
  spans: readonly LayerSpan[],
): void {
  const before = (a: number, b: number): boolean => {
    const ta = time[a];
    const tb = time[b];
    if (ta !== tb) return ta < tb;
    const ia = spans[a >> 1].spanId;
    const ib = spans[b >> 1].spanId;
    return ia !== ib ? ia < ib : a < b;
  };
  for (let lo = 0; lo < count; lo += RUN) {
    const hi = Math.min(lo + RUN, count);
    for (let k = lo + 1; k < hi; k++) {
      const e = events[k];
      let m = k - 1;
      while (m >= lo && before(e, events[m])) {
        events[m + 1] = events[m];
        m--;
      }
      events[m + 1] = e;
    }
  }
  let src = events;
  let dst = tmp;
  for (let width = RUN; width < count; width *= 2) {
    for (let lo = 0; lo < count; lo += 2 * width) {
      const mid = Math.min(lo + width, count);
      const hi = Math.min(lo + 2 * width, count);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) dst[k++] = before(src[j], src[i]) ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== events) for (let k = 0; k < count; k++) events[k] = src[k];
}
