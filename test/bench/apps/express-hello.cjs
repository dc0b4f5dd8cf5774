'use strict';
// Express hello world (CommonJS): the smallest app an agent can slow down.
const express = require('express');

const app = express();
app.get('/', (_req, res) => {
  res.send('hello world');
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
