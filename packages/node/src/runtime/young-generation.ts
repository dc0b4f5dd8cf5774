import { constants, PerformanceObserver } from 'node:perf_hooks';
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

/**
 * Stop V8's young generation growing once it has reached `limit` bytes.
 *
 * Every request leaves a few spans that live until the request ends; under
 * load enough of them survive a scavenge that V8 keeps doubling the semi-spaces
 * up to their 64 MB maximum (128 MB of new space), about half of the memory
 * Strata adds. `--max-semi-space-size` cannot be changed once the heap exists,
 * but the growth factor is read at each growth, so setting it to 1 when the
 * limit is reached freezes the size there. Returns a function that undoes it.
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
  if (newSpaceBytes() >= limit) {
    freeze();
    return unfreeze;
  }
  // Minor GCs are where V8 grows new space: look after each one, until frozen.
  const observer = new PerformanceObserver((list) => {
    if (frozen) return;
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR && newSpaceBytes() >= limit) {
        freeze();
        observer.disconnect();
        return;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    if (frozen) unfreeze();
  };
}
