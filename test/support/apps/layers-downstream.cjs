'use strict';
// A plain node:http service (no Express, no Strata) for the layers e2e tests: the "second real
// service" an app calls. `GET /delay?ms=N` answers after N ms (at most 10 s), headers and body
// together, so the caller's client span measures N ms plus the loopback round trip.
// PORT from the environment; prints `listening on <port>` once it accepts connections.
const http = require('node:http');

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const ms = Math.min(Math.max(Number(url.searchParams.get('ms')) || 0, 0), 10_000);
  setTimeout(() => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ waited: ms }));
  }, ms);
});

const { PORT = '3001' } = process.env;
server.listen(Number(PORT), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
