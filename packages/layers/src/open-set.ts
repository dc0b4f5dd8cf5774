// The set of open spans, indexed by pre-order position (Euler tour): a max segment tree over
// positions holding the subtree end (`tout`) of each open span, -1 when closed. Since a span's
// subtree is the contiguous range [tin, tout], both ancestry questions the sweep asks are
// O(log n), whatever the tree's depth:
//   - "is any descendant of x open?"  → max over (tin, tout] ≥ 0
//   - "nearest open ancestor of x"    → rightmost open position p < tin(x) with tout(p) ≥ tin(x)

import { fillRange } from './fill-range';

/** Max segment tree over `n` positions, all closed (-1) after `reset`. */
export class OpenSet {
  private tree = new Int32Array(2);
  private size = 1;

  /** Make room for `n` positions and close them all. */
  reset(n: number): void {
    let size = 1;
    while (size < n) size <<= 1;
    if (this.tree.length < 2 * size) this.tree = new Int32Array(2 * size);
    this.size = size;
    fillRange(this.tree, -1, 0, 2 * size);
  }

  /** Set position `p` to `value` (a subtree end when open, -1 when closed). */
  set(p: number, value: number): void {
    const t = this.tree;
    let i = p + this.size;
    t[i] = value;
    for (i >>= 1; i >= 1; i >>= 1) {
      t[i] = Math.max(t[2 * i], t[2 * i + 1]);
    }
  }

  /** Max over positions [from, to). */
  max(from: number, to: number): number {
    const t = this.tree;
    let best = -1;
    for (let l = from + this.size, r = to + this.size; l < r; l >>= 1, r >>= 1) {
      if (l & 1) {
        if (t[l] > best) best = t[l];
        l++;
      }
      if (r & 1) {
        r--;
        if (t[r] > best) best = t[r];
      }
    }
    return best;
  }

  /** Rightmost position p < `to` whose value is ≥ `atLeast`, else -1. */
  lastAtLeast(to: number, atLeast: number): number {
    if (to <= 0) return -1;
    const t = this.tree;
    const size = this.size;
    let i = to + size;
    do {
      i--;
      while (i > 1 && (i & 1) === 1) i >>= 1;
      if (t[i] >= atLeast) {
        while (i < size) {
          i = 2 * i + 1;
          if (t[i] < atLeast) i--;
        }
        return i - size;
      }
    } while ((i & -i) !== i);
    return -1;
  }
}
