import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './free-port.js';
import { nodeBinary, repoRoot } from './paths.js';

export { freePort } from './free-port.js';

/** Options of {@link spawnApp}. */
export interface SpawnAppOptions {
  /** The script to run: absolute, or relative to `cwd` (see `appPath()` for the bundled apps). */
  script: string;
  /** Arguments after the script. */
  args?: string[];
  /** Arguments to node before the script, e.g. `['--require', '@strata/node/register']`. */
  nodeArgs?: string[];
  /** Added to the environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Working directory (default: the repository root, so `@strata/node` resolves). */
  cwd?: string;
  /** Port passed as PORT (default: a free one). */
  port?: number;
  /** Ready when this answers HTTP (any status): a path such as '/healthz' or a full URL. */
  readyUrl?: string;
  /** Ready when the output matches (default /listening on \d+/ when there is no readyUrl). */
  readyPattern?: RegExp;
  /** Default 20 s. */
  readyTimeoutMs?: number;
  /** false: resolve right after spawning, without waiting to be ready (for apps meant to fail). */
  waitReady?: boolean;
}

/** How an app ended. */
export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running app. */
export interface AppHandle {
  child: ChildProcess;
  pid: number;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Milliseconds from spawn until ready (0 with `waitReady: false`). */
  readyAfterMs: number;
  stdout(): string;
  stderr(): string;
  /** `fetch(url + path)` */
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
  /** Resolve with the first match in the output; reject when the app exits or after the timeout. */
  waitForOutput(
    pattern: RegExp,
    options?: { timeoutMs?: number; stream?: 'stdout' | 'stderr' | 'both' },
  ): Promise<RegExpMatchArray>;
  /** Send a signal (default SIGTERM) and resolve when the app has exited. */
  kill(signal?: NodeJS.Signals): Promise<AppExit>;
  /** SIGTERM, then SIGKILL if the app is still running after `graceMs` (default 5 s). */
  stop(graceMs?: number): Promise<AppExit>;
  /** Resolves (never rejects) when the app has exited. */
  exited: Promise<AppExit>;
}

// Variables of the test runner's own environment that would change what a
// child does: a developer's OTEL_* or STRATA_* settings, vitest's NODE_ENV and
// NODE_OPTIONS. Tests pass what they need through `env`.
const inheritedOut = /^(OTEL_|STRATA_|VITEST|NODE_OPTIONS$|NODE_ENV$)/;
const maxOutput = 16 * 1024 * 1024;
const live = new Set<AppHandle>();

process.once('exit', () => {
  for (const app of live) app.child.kill('SIGKILL');
});

/** Kill every app still running (SIGKILL) and wait for them: `afterEach(stopAllApps)`. */
export async function stopAllApps(): Promise<void> {
  await Promise.all([...live].map((app) => app.kill('SIGKILL')));
}

/** Run a script under the repository's Node 24 with PORT set, and wait until it is ready. */
export async function spawnApp(options: SpawnAppOptions): Promise<AppHandle> {
  const cwd = options.cwd ?? repoRoot;
  const port = options.port ?? (await freePort());
  const env: Record<string, string | undefined> = { PORT: String(port) };
  for (const [key, value] of Object.entries(process.env))
    if (!inheritedOut.test(key)) env[key] = value;
  Object.assign(env, { PORT: String(port) }, options.env);
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];

  const script = path.resolve(cwd, options.script);
  const started = performance.now();
  const child = spawn(nodeBinary, [...(options.nodeArgs ?? []), script, ...(options.args ?? [])], {
    cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '', both: '' };
  const listeners = new Set<() => void>();
  const append = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    out[stream] = (out[stream] + text).slice(-maxOutput);
    out.both = (out.both + text).slice(-maxOutput);
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append('stdout'));
  child.stderr!.on('data', append('stderr'));

  let exit: AppExit | undefined;
  const exited = new Promise<AppExit>((resolve) => {
    const done = (result: AppExit) => {
      if (exit) return;
      exit = result;
      live.delete(app);
      for (const listener of listeners) listener();
      resolve(result);
    };
    child.once('exit', (code, signal) => done({ code, signal }));
    child.once('error', (error) => {
      out.stderr += `\n[spawnApp] ${String(error)}\n`;
      done({ code: null, signal: null });
    });
  });

  const describe = () =>
    `${path.basename(script)} (pid ${child.pid}, port ${port})${exit ? ` exited ${JSON.stringify(exit)}` : ''}\n--- stdout ---\n${out.stdout.slice(-4000)}\n--- stderr ---\n${out.stderr.slice(-4000)}`;

  const waitForOutput: AppHandle['waitForOutput'] = (
    pattern,
    { timeoutMs = 20_000, stream = 'both' } = {},
  ) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const match = out[stream].match(pattern);
        if (match) finish(() => resolve(match));
        else if (exit)
          finish(() => reject(new Error(`no ${pattern} in the output of ${describe()}`)));
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              new Error(
                `timed out after ${timeoutMs} ms waiting for ${pattern} from ${describe()}`,
              ),
            ),
          ),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!exit) child.kill(signal);
    return exited;
  };

  const app: AppHandle = {
    child,
    pid: child.pid ?? -1,
    port,
    url: `http://127.0.0.1:${port}`,
    readyAfterMs: 0,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    fetch: (pathname, init) => fetch(`http://127.0.0.1:${port}${pathname}`, init),
    waitForOutput,
    kill,
    stop: async (graceMs = 5000) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await kill('SIGTERM');
      clearTimeout(timer);
      return result;
    },
    exited,
  };
  if (!exit) live.add(app);
  if (options.waitReady === false) return app;

  try {
    const timeoutMs = options.readyTimeoutMs ?? 20_000;
    const pattern = options.readyPattern ?? (options.readyUrl ? undefined : /listening on \d+/);
    if (pattern) await waitForOutput(pattern, { timeoutMs });
    if (options.readyUrl)
      await pollHttp(new URL(options.readyUrl, app.url), timeoutMs, () => exit, describe);
  } catch (error) {
    await kill('SIGKILL');
    throw error;
  }
  app.readyAfterMs = performance.now() - started;
  return app;
}

/** Poll until `url` answers HTTP at all (any status); fail fast when the app exits. */
async function pollHttp(
  url: URL,
  timeoutMs: number,
  exited: () => AppExit | undefined,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited()) throw new Error(`app exited before ${url} answered: ${describe()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${url}: ${describe()}`);
    // Short: readyAfterMs is used to measure start-up time.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
