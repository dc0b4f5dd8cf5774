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
  const flushOnce = () => {
    flushing ??= flush(timeoutMs).catch((err) => diag.debug('strata: flush failed', err));
    return flushing;
  };

  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of SIGNALS) {
    let received = false;
    const handler = () => {
      const appHandles = process.listeners(signal).some((listener) => listener !== handler);
      if (appHandles) {
        void flushOnce();
        return;
      }
      if (received) return reraise(signal, handler); // a second signal: stop waiting
      received = true;
      void flushOnce().finally(() => reraise(signal, handler));
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  // A natural exit: the application has nothing left to do. Flush within the
  // deadline, then abandon what is still in flight, so a dead collector
  // cannot hold a finished script open.
  const beforeExit = () => {
    flushing ??= close(timeoutMs).catch((err) => diag.debug('strata: flush failed', err));
  };
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
