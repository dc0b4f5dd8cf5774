import net from 'node:net';

// Ports handed out in this process: the kernel may offer a just-closed port
// again before the child that was given it has bound it.
const handedOut = new Set<number>();

/** A TCP port free on 127.0.0.1 right now (bound, read, released). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('freePort: no new free port after 20 attempts');
}
