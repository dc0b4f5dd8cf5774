'use strict';
// An Express app that runs work in a worker thread. Workers inherit
// --require/--import: Strata must start once per process, not per worker.
const { Worker } = require('node:worker_threads');
const express = require('express');

const app = express();
app.get('/work', (_req, res) => {
  const worker = new Worker('require("node:worker_threads").parentPort.postMessage(6 * 7)', {
    eval: true,
  });
  worker.once('message', (answer) => res.send(String(answer)));
  worker.once('error', (error) => res.status(500).send(error.message));
});

const { PORT = '3000' } = process.env;
const server = app.listen(Number(PORT), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
