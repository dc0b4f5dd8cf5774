import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

// Flags with which whoever started the process already chose the young generation's size.
const OWN_FLAGS =
  /(?:^|\s)--(?:max[-_]semi[-_]space[-_]size|min[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor|max[-_]young[-_]generation[-_]size|optimize[-_]for[-_]size)\b/;

/** Whether the process was started with its own young-generation flags (argv or NODE_OPTIONS). */
export function hasOwnYoungGenerationFlags(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): boolean {
  return OWN_FLAGS.test(` ${execArgv.join(' ')} ${nodeOptions ?? ''}`);
}

/** Bytes of V8's new space now. */
function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

// One limit per process (one Strata): whether it has frozen the growth factor now.
let frozen = false;

/**
 * Run `fn` with the growth factor at V8's default. V8 stamps a code cache with
 * a hash of its flags, and a process starting up has the default: a cache made
 * after the limit took effect would be rejected at every start
 * (`load-bundle.cjs`).
 */
export function withDefaultV8Flags<T>(fn: () => T): T {
  if (!frozen) return fn();
  setFlagsFromString('--semi-space-growth-factor=2');
  try {
    return fn();
  } finally {
    setFlagsFromString('--semi-space-growth-factor=1');
  }
}

/** Scavenges taking more than this share of the wall time, each this long, are costly. */
export const COSTLY_SCAVENGE_SHARE = 0.06;
export const COSTLY_SCAVENGE_MS = 3;
/** Wall time over which that share is measured, ms; two costly windows in a row grow a step. */
export const SCAVENGE_WINDOW_MS = 3000;
export const COSTLY_WINDOWS_TO_GROW = 2;

/** What the minor GCs of one window took. */
export interface ScavengeWindow {
  /** Their summed duration, ms. */
  scavengeMs: number;
  /** How many there were. */
  count: number;
  /** The window's wall time, ms. */
  windowMs: number;
}

/**
 * Whether a window's scavenges cost enough that a bigger young generation pays for its memory:
 * over `COSTLY_SCAVENGE_SHARE` of the time, and each long enough (`COSTLY_SCAVENGE_MS`) that it
 * copies megabytes. A scavenge's pause is mostly copying what survives it. Strata's own survivors
 * (the spans of requests in flight) take well under a millisecond to copy; an application whose
 * own results and buffers in flight survive too (the benchmark's shop path: about 9.5 MB, 21 ms,
 * uninstrumented) is scavenged four times as often at 16 MB as V8 would let it, copying the same
 * data each time.
 */
export function scavengesCostly({ scavengeMs, count, windowMs }: ScavengeWindow): boolean {
  return (
    windowMs > 0 &&
    count > 0 &&
    scavengeMs > COSTLY_SCAVENGE_SHARE * windowMs &&
    scavengeMs / count >= COSTLY_SCAVENGE_MS
  );
}

/**
 * Hold V8's young generation at `limit` bytes once it gets there, while scavenges are cheap.
 *
 * Every request leaves a few spans that live until the request ends; under
 * load enough of them survive a scavenge that V8 keeps doubling the semi-spaces
 * up to their 64 MB maximum (128 MB of new space), about half of the memory
 * Strata adds. `--max-semi-space-size` cannot be changed once the heap exists,
 * but the growth factor is read at each growth, so setting it to 1 when the
 * limit is reached freezes the size there.
 *
 * After `COSTLY_WINDOWS_TO_GROW` windows of costly scavenges in a row (`scavengesCostly`), the
 * ceiling doubles and V8 may grow once more: the limit trades memory for CPU only where the
 * trade is cheap. The ceiling never comes down (V8 still shrinks an idle young generation
 * itself). Returns a function that undoes it.
 */
export function limitYoungGeneration(limit: number): () => void {
  if (!(limit > 0) || hasOwnYoungGenerationFlags(process.execArgv, process.env.NODE_OPTIONS)) {
    return () => {};
  }
  const freeze = () => {
    frozen = true;
    setFlagsFromString('--semi-space-growth-factor=1');
  };
  const unfreeze = () => {
    frozen = false;
    setFlagsFromString('--semi-space-growth-factor=2');
  };
  let ceiling = limit;
  let windowStart = performance.now();
  let scavengeMs = 0;
  let count = 0;
  let costlyWindows = 0;
  if (newSpaceBytes() >= ceiling) freeze();
  // Minor GCs are where V8 grows new space: look after each one.
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind !== constants.NODE_PERFORMANCE_GC_MINOR) continue;
      scavengeMs += entry.duration;
      count++;
      const size = newSpaceBytes();
      if (!frozen && size >= ceiling) freeze();
      const elapsed = entry.startTime + entry.duration - windowStart;
      if (elapsed < SCAVENGE_WINDOW_MS) continue;
      costlyWindows = scavengesCostly({ scavengeMs, count, windowMs: elapsed })
        ? costlyWindows + 1
        : 0;
      if (frozen && costlyWindows >= COSTLY_WINDOWS_TO_GROW) {
        ceiling = Math.max(ceiling, size) * 2;
        costlyWindows = 0;
        unfreeze();
      }
      windowStart += elapsed;
      scavengeMs = 0;
      count = 0;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    if (frozen) unfreeze();
  };
}
