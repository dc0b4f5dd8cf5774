import { fillRange } from './fill-range';
import type { Scratch } from './scratch';

/** How the sweep finds a span's nearest open ancestor and whether it has an open descendant. */
export type AncestryMode = 'auto' | 'walk' | 'tree';

/**
 * The event sweep of wall-share attribution: adds each group's wall share (float) and work to
 * `w.wall`/`w.work`. Needs sorted `events`, the tree (`parent`, `order`, `tin`, `tout`) and
 * `group`. Ancestry questions go either up the parent chain keeping per-span counts of open
 * descendants (O(depth) per event, fastest for real traces, which are shallow) or to the
 * segment tree of `OpenSet` (O(log n) whatever the depth); `auto` walks while the depth is
 * within a log bound, so the sweep stays O(n log n) in the worst case.
 */
export function sweep(
  w: Scratch,
  n: number,
  root: number,
  eventCount: number,
  depth: number,
  rs: number,
  re: number,
  mode: AncestryMode,
): void {
  const { events, time, parent, order, tin, tout, group, leaf, leafG, leafT, wall, work } = w;
  const { isOpen, openBelow, open } = w;
  const walk = mode === 'walk' || (mode === 'auto' && depth <= 16 + 2 * Math.log2(n + 1));
  if (walk) {
    fillRange(isOpen, 0, 0, n);
    fillRange(openBelow, 0, 0, n);
    isOpen[root] = 1;
  } else {
    open.reset(n);
    open.set(tin[root], tout[root]);
  }
  // g: time per leaf so far (∫ dt / leaves); a leaf's wall share is g(now) − g(when it became one).
  let g = 0;
  let now = rs;
  let leaves = 1;
  fillRange(leaf, 0, 0, n);
  leaf[root] = 1;
  leafG[root] = 0;
  leafT[root] = rs;
  for (let k = 0; k < eventCount; k++) {
    const e = events[k];
    const x = e >> 1;
    const t = time[e];
    if (t > now) {
      g += (t - now) / leaves;
      now = t;
    }
    let a = -1; // nearest open ancestor (the root at least)
    let becomesLeaf = false;
    if ((e & 1) === 0) {
      if (walk) {
        for (let y = parent[x]; y !== -1; y = parent[y]) {
          if (a === -1 && isOpen[y] === 1) a = y;
          openBelow[y]++;
        }
      } else {
        a = order[open.lastAtLeast(tin[x], tin[x])];
      }
      // a now has an open descendant; x is a leaf unless one of its own is already open.
      if (leaf[a] === 1) {
        leaf[a] = 0;
        leaves--;
        wall[group[a]] += g - leafG[a];
        work[group[a]] += now - leafT[a];
      }
      if (walk) {
        isOpen[x] = 1;
        becomesLeaf = openBelow[x] === 0;
      } else {
        open.set(tin[x], tout[x]);
        becomesLeaf = open.max(tin[x] + 1, tout[x] + 1) < 0;
      }
      a = x;
    } else {
      if (leaf[x] === 1) {
        leaf[x] = 0;
        leaves--;
        wall[group[x]] += g - leafG[x];
        work[group[x]] += now - leafT[x];
      }
      // a becomes a leaf if nothing else below it is open.
      if (walk) {
        isOpen[x] = 0;
        for (let y = parent[x]; y !== -1; y = parent[y]) {
          if (a === -1 && isOpen[y] === 1) a = y;
          openBelow[y]--;
        }
        becomesLeaf = openBelow[a] === 0;
      } else {
        open.set(tin[x], -1);
        const p = open.lastAtLeast(tin[x], tin[x]);
        a = order[p];
        becomesLeaf = open.max(p + 1, tout[a] + 1) < 0;
      }
    }
    if (becomesLeaf && leaf[a] === 0) {
      leaf[a] = 1;
      leaves++;
      leafG[a] = g;
      leafT[a] = now;
    }
  }
  // Every other span has closed by re (they are clipped to it): only the root is a leaf now.
  if (re > now) g += (re - now) / leaves;
  wall[group[root]] += g - leafG[root];
  work[group[root]] += re - leafT[root];
}
