import { largestRemainder } from './largest-remainder';
import { Scratch } from './scratch';
import { sortEvents } from './sort-events';
import { buildSpanTree } from './span-tree';
import { type AncestryMode, sweep } from './sweep';
import type { ClassifyFn, LayerAttribution, LayerClass, LayerSpan, LayerTime } from './types';

const shared = new Scratch();
// Below this many groups a linear scan finds a class by value faster than building a key.
const SCAN_GROUPS = 16;

/**
 * Wall-share attribution of one local trace (DESIGN.md "Layers"): the root's interval is cut at
 * every span start and end; each elementary interval goes, split equally, to the open spans
 * with no open descendant (the root when nothing else is open). Spans are clipped to the root;
 * end < start counts as zero-length at start; orphans hang from the root. Wall times are integer
 * nanoseconds summing exactly to the root's duration; `work` is each group's undivided self
 * time. O(n log n).
 */
export function attributeLayers(
  spans: readonly LayerSpan[],
  root: number | LayerSpan,
  classify: ClassifyFn,
): LayerAttribution {
  let list = spans;
  let r = typeof root === 'number' ? root : spans.indexOf(root);
  if (r < 0 || r >= spans.length) {
    if (typeof root === 'number') {
      throw new RangeError(`root index ${root} outside 0..${spans.length - 1}`);
    }
    list = [...spans, root];
    r = spans.length;
  }
  return attributeWith(list, r, classify, 'auto');
}

/** `attributeLayers` with a chosen ancestry mode (tests check that both agree). */
export function attributeWith(
  list: readonly LayerSpan[],
  r: number,
  classify: ClassifyFn,
  mode: AncestryMode,
): LayerAttribution {
  const w = shared.busy ? new Scratch() : shared;
  w.busy = true;
  try {
    return attribute(list, r, classify, w, mode);
  } finally {
    w.busy = false;
    if (w.groupOf.size !== 0) w.groupOf.clear();
    w.classes.length = 0;
  }
}

/**
 * Index of `cls` among the groups of this call, adding it when new. Up to SCAN_GROUPS groups
 * (nearly every request) a scan, by identity then by value (classifiers that do not intern
 * still group by value); the Map only past that: a Map cleared after every call reallocates
 * its table on the next insert.
 */
function groupIndex(cls: LayerClass, w: Scratch): number {
  const { groupOf, classes } = w;
  const count = classes.length;
  if (count <= SCAN_GROUPS) {
    for (let k = 0; k < count; k++) if (classes[k] === cls) return k;
    for (let k = 0; k < count; k++) {
      if (classes[k].layer === cls.layer && classes[k].system === cls.system) return k;
    }
  } else {
    const g = groupOf.get(cls) ?? groupOf.get(`${cls.layer}\u0000${cls.system}`);
    if (g !== undefined) return g;
  }
  classes.push(cls);
  if (count === SCAN_GROUPS) {
    // Past the scan: index every group so far, by identity and by value.
    for (let k = 0; k <= count; k++) {
      groupOf.set(classes[k], k);
      groupOf.set(`${classes[k].layer}\u0000${classes[k].system}`, k);
    }
  } else if (count > SCAN_GROUPS) {
    groupOf.set(cls, count);
    groupOf.set(`${cls.layer}\u0000${cls.system}`, count);
  }
  return count;
}

function attribute(
  spans: readonly LayerSpan[],
  root: number,
  classify: ClassifyFn,
  w: Scratch,
  mode: AncestryMode,
): LayerAttribution {
  const n = spans.length;
  w.ensure(n);
  const { time, group, events } = w;
  // A root with unusable times gets a zero-length interval: one zero entry, never NaN.
  const rs = Number.isFinite(spans[root].start) ? spans[root].start : 0;
  const re = Number.isFinite(spans[root].end) ? Math.max(rs, spans[root].end) : rs;
  const total = Math.round(re - rs);

  // Clip to the root and classify the spans that can hold time (plus the root).
  let ev = 0;
  for (let i = 0; i < n; i++) {
    const span = spans[i];
    let s = rs;
    let e = re;
    if (i !== root) {
      // end < start (clock skew) is zero-length at start; NaN anywhere makes the span empty.
      s = Math.min(Math.max(span.start, rs), re);
      e = Math.min(Math.max(span.end, s), re);
      if (!(e > s)) {
        group[i] = -1;
        continue;
      }
      events[ev++] = 2 * i;
      events[ev++] = 2 * i + 1;
    }
    time[2 * i] = s;
    time[2 * i + 1] = e;
    group[i] = groupIndex(classify(span), w);
  }
  const classes = w.classes;
  w.ensureGroups(classes.length);
  const { wall, work } = w;

  const depth = buildSpanTree(spans, root, w);
  sortEvents(events, w.tmp, ev, time, spans);
  sweep(w, n, root, ev, depth, rs, re, mode);
  return result(classes, wall, work, total);
}

function result(
  classes: LayerClass[],
  wall: Float64Array,
  work: Float64Array,
  total: number,
): LayerAttribution {
  const count = classes.length;
  const rank: number[] = new Array(count);
  // Insertion sort by (layer, system): a handful of groups, and Array#sort allocates its
  // work space on every call (most of this function's garbage).
  for (let i = 0; i < count; i++) {
    let j = i;
    while (j > 0 && compareClasses(classes[rank[j - 1]], classes[i]) > 0) {
      rank[j] = rank[j - 1];
      j--;
    }
    rank[j] = i;
  }
  const rounded = largestRemainder(wall, rank, total);
  const entries: LayerTime[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const { layer, system } = classes[rank[i]];
    entries[i] = { layer, system, wall: rounded[i], work: Math.round(work[rank[i]]) };
  }
  return { total, entries };
}

function compareClasses(x: LayerClass, y: LayerClass): number {
  if (x.layer !== y.layer) return x.layer < y.layer ? -1 : 1;
  return x.system < y.system ? -1 : x.system > y.system ? 1 : 0;
}
