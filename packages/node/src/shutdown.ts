import { diag } from '@opentelemetry/api';

/** What to flush on the way out. */
export type Flush = (timeoutMs: number) => Promise<void>;

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Flush on SIGTERM/SIGINT and before a natural exit, then let the process end
 * the way it would have without Strata. When the application has a handler
 * of its own for the signal, it decides when to exit: Strata only starts
 * flushing. When it has none, Strata flushes within `timeoutMs` and re-raises
 * the signal, so the exit status is the signal's (the stock register installs
 * a SIGTERM handler that never exits, and the process ignores SIGTERM).
 */
export function installShutdownHooks(
  flush: Flush,
  timeoutMs: number,
  /** Flush and release everything (abandon requests still in flight): the process is ending. */
  close: Flush = flush,
): () => void {
  let flushing: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  const report = (err: unknown) => diag.debug('strata: flush failed', err);
  // While the application keeps running (it handles the signal and drains):
  // send what is decided, leave requests in flight alone.
  const flushOnce = () => {
    flushing ??= flush(timeoutMs).catch(report);
    return flushing;
  };
  // The process is ending: decide everything, flush within the deadline,
  // then abandon what is still in flight so nothing holds the process open.
  const closeOnce = () => {
    closing ??= close(timeoutMs).catch(report);
    return closing;
  };

  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of SIGNALS) {
    let received = false;
    const handler = () => {
      const appHandles = process.listeners(signal).length - 1 > signalExitListeners();
      if (appHandles) {
        void flushOnce();
        return;
      }
      if (received) return reraise(signal, handler); // a second signal: stop waiting
      received = true;
      void closeOnce().finally(() => reraise(signal, handler));
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  // A natural exit (also after an application drained on its own SIGTERM
  // handler): the application has nothing left to do.
  const beforeExit = () => void closeOnce();
  process.once('beforeExit', beforeExit);

  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    process.removeListener('beforeExit', beforeExit);
  };
}

function reraise(signal: NodeJS.Signals, handler: () => void): void {
  process.removeListener(signal, handler);
  // With no listener left, the default action applies: the process ends by the signal.
  process.kill(process.pid, signal);
}

/**
 * Listeners of `signal-exit` (used by write-file-atomic, execa, ora, …): it
 * re-raises only when its own listeners are the only ones left, so counting
 * them as "the application handles the signal" would leave both waiting and
 * the process ignoring SIGTERM. Each loaded copy adds one listener per signal
 * and counts itself on a process-wide emitter (v4 on `globalThis` under a
 * registered symbol, v3 on `process.__signal_exit_emitter__`).
 */
function signalExitListeners(): number {
  type Emitter = { count?: unknown } | undefined;
  const v4 = (globalThis as unknown as Record<symbol, Emitter>)[Symbol.for('signal-exit emitter')];
  const v3 = (process as unknown as Record<string, Emitter>).__signal_exit_emitter__;
  let count = 0;
  for (const emitter of [v4, v3]) {
    if (typeof emitter?.count === 'number') count += emitter.count;
  }
  return count;
}
