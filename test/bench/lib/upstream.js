// The shop path's outbound dependency (apps/upstream.cjs), started once per run off the server's core.
import { NODE_BIN, spawnPinned } from './processes.js';
import { freePort } from './server.js';

/** Start apps/upstream.cjs on CPU 1; resolves once it listens, with its child and URL. */
export async function startUpstream() {
  const port = await freePort();
  const child = spawnPinned(1, NODE_BIN, ['apps/upstream.cjs'], {
    env: { ...process.env, PORT: String(port) },
  });
  await new Promise((ok, fail) => {
    child.stdout.on('data', (d) => d.toString().includes('listening on') && ok());
    child.once('exit', (code) => fail(new Error(`upstream exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}
