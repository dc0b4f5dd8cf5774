// An Express app with no other dependency and no telemetry code:
//   node --require @strata/node/register app.js
const express = require('express');

const app = express();

app.get('/', (_req, res) => res.send('hello from Strata\n'));

app.get('/users/:id', async (req, res) => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  res.json({ id: req.params.id, name: `user ${req.params.id}` });
});

app.get('/slow', async (req, res) => {
  await new Promise((resolve) => setTimeout(resolve, Number(req.query.ms ?? 300)));
  res.send('slow\n');
});

app.get('/fail', () => {
  throw new Error('something broke');
});

// Answer failures without printing a stack trace per request.
app.use((err, _req, res, _next) => {
  res.status(500).send(`failed: ${err.message}\n`);
});

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, () => console.log(`hello listening on ${server.address().port}`));
