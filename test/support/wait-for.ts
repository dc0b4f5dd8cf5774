/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Check this often (default 20 ms). */
  intervalMs?: number;
  /** What was awaited, and what was seen instead: called once, for the timeout error. */
  describe?: () => string;
}

/**
 * Poll `check` until it returns something other than undefined, null or false,
 * and resolve with that. A `check` that throws is retried; its last error is
 * quoted in the timeout error, so a failing test says what it last saw.
 */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitForOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 20 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const seen = options.describe ? `: ${options.describe()}` : '';
      const last = lastError ? ` (last error: ${String(lastError)})` : '';
      throw new Error(`waitFor timed out after ${timeoutMs} ms${seen}${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
