'use strict';
// A small real Express 5 app for e2e tests and benchmarks (CommonJS).
// PORT from the environment; prints `listening on <port>` once it accepts connections.
const express = require('express');

const app = express();
app.get('/', (_req, res) => {
  res.send('hello');
});
app.get('/users/:id', (req, res) => {
  res.json({ id: req.params.id, name: `user-${req.params.id}` });
});
app.get('/fail', (_req, _res, next) => {
  next(new Error('boom'));
});
app.get('/slow', (req, res) => {
  // Bounded so a typo cannot leave a test hanging for hours.
  const ms = Math.min(Math.max(Number(req.query.ms) || 0, 0), 60_000);
  setTimeout(() => res.send(`slept ${ms} ms`), ms);
});
// Young objects that stay alive across a few scavenges, as spans of requests in flight do: makes
// V8 grow its young generation. /heap reports the new space's size.
const recent = [];
app.get('/churn', (_req, res) => {
  recent.push(Array.from({ length: 10_000 }, (_, i) => ({ i, s: `item-${i}` })));
  if (recent.length > 24) recent.shift();
  res.send('ok');
});
app.get('/heap', (_req, res) => {
  const spaces = require('node:v8').getHeapSpaceStatistics();
  res.json({ newSpace: spaces.find((s) => s.space_name === 'new_space').space_size });
});
app.get('/healthz', (_req, res) => {
  res.send('ok');
});

// PORT is set by the test helper (spawnApp); 3000 when run by hand.
const { PORT = '3000' } = process.env;
const server = app.listen(Number(PORT), '127.0.0.1', (error) => {
  if (error) {
    console.error(`cannot listen: ${error.message}`);
    process.exit(1);
  }
  console.log(`listening on ${server.address().port}`);
});
