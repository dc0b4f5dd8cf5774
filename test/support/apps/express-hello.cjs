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
