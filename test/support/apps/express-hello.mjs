// The same app as express-hello.cjs, as an ES module (for `--import`).
import express from 'express';

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
