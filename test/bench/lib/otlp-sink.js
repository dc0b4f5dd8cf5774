// A local OTLP/HTTP receiver that accepts and discards every export, so exporters pay their real
// serialization and network costs while nothing leaves the machine.
import http from 'node:http';

/** Start the sink on 127.0.0.1; `stats` counts requests and bytes since the last `reset()`. */
export async function startOtlpSink() {
  const stats = { requests: 0, bytes: 0, byPath: {} };
  const server = http.createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      stats.requests += 1;
      stats.bytes += bytes;
      stats.byPath[req.url] = (stats.byPath[req.url] ?? 0) + bytes;
      // An empty Export*ServiceResponse: zero bytes in protobuf, `{}` in JSON.
      const json = String(req.headers['content-type'] ?? '').includes('json');
      const body = json ? '{}' : '';
      res.writeHead(200, {
        'content-type': json ? 'application/json' : 'application/x-protobuf',
        'content-length': body.length,
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    reset() {
      stats.requests = 0;
      stats.bytes = 0;
      stats.byPath = {};
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
