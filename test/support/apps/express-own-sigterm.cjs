'use strict';
// An Express app that handles SIGTERM itself: Strata must not take that over.
// On SIGTERM it logs, closes the server and exits 0 after 100 ms.
const express = require('express');

const app = express();
app.get('/', (_req, res) => {
  res.send('hello');
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

process.on('SIGTERM', () => {
  console.log('app handled SIGTERM');
  server.close();
  setTimeout(() => process.exit(0), 100);
});
