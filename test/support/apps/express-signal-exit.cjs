'use strict';
// An Express app with a library that uses signal-exit (write-file-atomic, execa,
// ora, … do): signal-exit re-raises only when its listeners are the only ones.
const express = require('express');
const { onExit } = require('signal-exit');

onExit((code, signal) => {
  console.log(`signal-exit saw ${signal ?? code}`);
});

const app = express();
app.get('/', (_req, res) => {
  res.send('hello');
});

const { PORT = '3000' } = process.env;
const server = app.listen(Number(PORT), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
