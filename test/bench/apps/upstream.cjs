'use strict';
// The outbound dependency of shop-path.cjs: a tiny uninstrumented HTTP server in its own process.
const http = require('node:http');

const body = JSON.stringify({ price: 42, currency: 'EUR' });
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
