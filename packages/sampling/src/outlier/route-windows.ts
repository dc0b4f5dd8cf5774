import type { SlowOptions } from '../types';
import { createRouteWindow, type RouteWindow } from './route-window';

/** The latency windows of all routes, bounded: the least recently seen route is forgotten first. */
export interface RouteWindows {
  /** Slow threshold of a route at `now`, ms: its percentile clamped to [floor, ceiling]; the ceiling during warm-up. */
  threshold(key: string, now: number): number;
  record(key: string, durationMs: number, now: number): void;
  readonly size: number;
}

/** Create the per-route windows (at most `maxRoutes`). */
export function createRouteWindows(
  slow: SlowOptions,
  maxRoutes: number,
  minSamples: number,
): RouteWindows {
  // A Map iterates in insertion order: re-inserting on use makes it an LRU.
  const windows = new Map<string, RouteWindow>();
  // The most recently used key is already last: no need to move it (most
  // calls, since a request looks its route up several times in a row).
  let lastKey: string | undefined;
  const get = (key: string, create: boolean): RouteWindow | undefined => {
    let window = windows.get(key);
    if (window !== undefined) {
      if (key !== lastKey) {
        windows.delete(key);
        windows.set(key, window);
        lastKey = key;
      }
      return window;
    }
    if (!create) return undefined;
    window = createRouteWindow(slow.window, slow.percentile, minSamples);
    windows.set(key, window);
    lastKey = key;
    if (windows.size > maxRoutes) windows.delete(windows.keys().next().value!);
    return window;
  };
  return {
    threshold(key, now) {
      const value = get(key, false)?.quantile(now);
      if (value === undefined || Number.isNaN(value)) return slow.ceiling;
      return Math.min(slow.ceiling, Math.max(slow.floor, value));
    },
    record(key, durationMs, now) {
      get(key, true)!.record(durationMs, now);
    },
    get size() {
      return windows.size;
    },
  };
}
