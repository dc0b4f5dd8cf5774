import { fillRange } from './fill-range';
import { OpenSet } from './open-set';
import type { LayerClass } from './types';

/**
 * Working memory of one attribution, reused across calls so the per-request cost is the work,
 * not the allocator. Arrays only grow. One instance is shared; a re-entrant call (a classify
 * callback that attributes again) gets a fresh one.
 */
export class Scratch {
  capacity = 0;
  groupCapacity = 0;
  busy = false;
  readonly groupOf = new Map<LayerClass | string, number>();
  readonly classes: LayerClass[] = [];
  readonly open = new OpenSet();
  parent = new Int32Array(0);
  head = new Int32Array(0);
  next = new Int32Array(0);
  order = new Int32Array(0);
  tin = new Int32Array(0);
  tout = new Int32Array(0);
  group = new Int32Array(0);
  state = new Uint8Array(0);
  leaf = new Uint8Array(0);
  isOpen = new Uint8Array(0);
  openBelow = new Int32Array(0);
  leafG = new Float64Array(0);
  leafT = new Float64Array(0);
  /** time[2i] = clipped start of span i, time[2i+1] = clipped end. */
  time = new Float64Array(0);
  events = new Int32Array(0);
  tmp = new Int32Array(0);
  wall = new Float64Array(0);
  work = new Float64Array(0);

  /** Make room for `n` spans. */
  ensure(n: number): void {
    if (n <= this.capacity) return;
    const c = Math.max(n, this.capacity * 2, 16);
    this.capacity = c;
    this.parent = new Int32Array(c);
    this.head = new Int32Array(c);
    this.next = new Int32Array(c);
    this.order = new Int32Array(c);
    this.tin = new Int32Array(c);
    this.tout = new Int32Array(c);
    this.group = new Int32Array(c);
    this.state = new Uint8Array(c);
    this.leaf = new Uint8Array(c);
    this.isOpen = new Uint8Array(c);
    this.openBelow = new Int32Array(c);
    this.leafG = new Float64Array(c);
    this.leafT = new Float64Array(c);
    this.time = new Float64Array(2 * c);
    this.events = new Int32Array(2 * c);
    this.tmp = new Int32Array(2 * c);
  }

  /** Make room for `g` groups and zero their sums. */
  ensureGroups(g: number): void {
    if (g > this.groupCapacity) {
      this.groupCapacity = Math.max(g, this.groupCapacity * 2, 16);
      this.wall = new Float64Array(this.groupCapacity);
      this.work = new Float64Array(this.groupCapacity);
    }
    fillRange(this.wall, 0, 0, g);
    fillRange(this.work, 0, 0, g);
  }
}
