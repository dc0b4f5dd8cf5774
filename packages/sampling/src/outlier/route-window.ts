import { DDSketch } from '@datadog/sketches-js';

/** Intervals per window: the window slides by window/SLOTS. */
const SLOTS = 6;
/** Relative accuracy of the sketches (2%): ample for a latency threshold, small bins. */
const ACCURACY = 0.02;

/** Durations of one route over a sliding window: a ring of per-interval DDSketches, merged on demand. */
export interface RouteWindow {
  /** Add a duration (ms) observed at `now`. */
  record(durationMs: number, now: number): void;
  /** The percentile over the window at `now`, or `undefined` while fewer than `minSamples` durations are in it. */
  quantile(now: number): number | undefined;
}

/** Create a window of `windowMs` reporting the `percentile` (0-100), recomputed at most once per interval. */
export function createRouteWindow(
  windowMs: number,
  percentile: number,
  minSamples: number,
): RouteWindow {
  const interval = Math.max(1, windowMs / SLOTS);
  const q = Math.min(1, Math.max(0, percentile / 100));
  const sketches: (DDSketch | undefined)[] = new Array(SLOTS);
  const slotIds = new Array<number>(SLOTS).fill(-1);
  let cachedAt = -1;
  let cached: number | undefined;
  let dirty = true;

  const slotOf = (now: number): number => Math.floor(now / interval);
  return {
    record(durationMs, now) {
      const id = slotOf(now);
      const index = id % SLOTS;
      let sketch = sketches[index];
      if (slotIds[index] !== id || sketch === undefined) {
        // The slot held an interval that slid out of the window: start it afresh.
        sketch = new DDSketch({ relativeAccuracy: ACCURACY });
        sketches[index] = sketch;
        slotIds[index] = id;
      }
      sketch.accept(Math.max(0, durationMs));
      if (cached === undefined) dirty = true;
    },
    quantile(now) {
      const id = slotOf(now);
      // Recompute when the window slid, or while warming up and new data arrived.
      if (id === cachedAt && !dirty) return cached;
      cachedAt = id;
      dirty = false;
      const merged = new DDSketch({ relativeAccuracy: ACCURACY });
      for (let i = 0; i < SLOTS; i++) {
        const sketch = sketches[i];
        if (sketch !== undefined && id - slotIds[i] < SLOTS) merged.merge(sketch);
      }
      cached = merged.count >= minSamples ? merged.getValueAtQuantile(q) : undefined;
      return cached;
    },
  };
}
