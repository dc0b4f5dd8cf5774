'use strict';
// An Express 5 app on real PostgreSQL and Redis that also calls a second HTTP service, for the
// layer attribution e2e tests (test/e2e/layers). Environment: PORT, DOWNSTREAM_URL (the
// layers-downstream.cjs service), PG* (default 127.0.0.1:5432, user postgres, db test), REDIS_URL.
// Prints `listening on <port>` once it accepts connections.
const express = require('express');
const { Pool } = require('pg');
const Redis = require('ioredis');

const {
  DOWNSTREAM_URL: downstream = 'http://127.0.0.1:3001',
  PGHOST = '127.0.0.1',
  PGPORT = '5432',
  PGUSER = 'postgres',
  PGDATABASE = 'test',
  REDIS_URL = 'redis://127.0.0.1:6379',
} = process.env;
const pool = new Pool({
  host: PGHOST,
  port: Number(PGPORT),
  user: PGUSER,
  database: PGDATABASE,
  max: 4,
  // Keep warmed connections for the whole test: a reconnect would land in the db layer.
  idleTimeoutMillis: 0,
});
const redis = new Redis(REDIS_URL);

const app = express();

// Opens the connections the measured requests use (two PostgreSQL connections for /parallel,
// Redis, the keep-alive connection to the downstream service), so they measure no connect time.
app.get('/warm', async (_req, res) => {
  await Promise.all([pool.query('SELECT pg_sleep(0)'), pool.query('SELECT pg_sleep(0)')]);
  await redis.ping();
  await (await fetch(`${downstream}/delay?ms=0`)).json();
  res.send('warm');
});

// What the calls cost alone on this machine, through the same clients and instrumentation: the
// 50 ms query by itself, and round trips that wait for nothing (added to the 30 ms call).
app.get('/calibrate', async (_req, res) => {
  for (let i = 0; i < 5; i++) await pool.query('SELECT pg_sleep(0.05)');
  for (let i = 0; i < 5; i++) await pool.query('SELECT pg_sleep(0)');
  for (let i = 0; i < 7; i++) await (await fetch(`${downstream}/delay?ms=0`)).json();
  res.send('calibrated');
});

// One request through every layer: db 50 ms, a cache round trip, an outbound call of 30 ms.
app.get('/orders/:id', async (req, res) => {
  await pool.query('SELECT pg_sleep(0.05)');
  const key = `strata-e2e:order:${req.params.id}`;
  await redis.set(key, 'paid', 'EX', 60);
  const status = await redis.get(key);
  const quote = await (await fetch(`${downstream}/delay?ms=30`)).json();
  res.json({ id: req.params.id, status, quote });
});

// An outgoing call with a method outside the HTTP semantic conventions and its own user agent.
app.get('/fetch-custom', async (_req, res) => {
  const response = await fetch(`${downstream}/delay?ms=0`, {
    method: 'PURGE',
    headers: { 'User-Agent': 'strata-e2e/1.0' },
  });
  res.json({ status: response.status, body: await response.json() });
});

// Twenty sequential sub-millisecond cache calls.
app.get('/cache-burst', async (_req, res) => {
  let hits = 0;
  for (let i = 0; i < 20; i++) if ((await redis.get(`strata-e2e:burst:${i}`)) !== null) hits++;
  res.json({ hits });
});

// Two 50 ms queries at once: 50 ms of db wall time, 100 ms of db work.
app.get('/parallel', async (_req, res) => {
  const [a, b] = await Promise.all([
    pool.query('SELECT pg_sleep(0.05), 1 AS n'),
    pool.query('SELECT pg_sleep(0.05), 2 AS n'),
  ]);
  res.json({ n: [a.rows[0].n, b.rows[0].n] });
});

// A failing query: Express 5 passes the rejection to its error handler, which answers 500.
app.get('/broken', async (_req, res) => {
  await pool.query('SELECT * FROM strata_e2e_no_such_table');
  res.send('unreachable');
});

const { PORT = '3000' } = process.env;
const server = app.listen(Number(PORT), '127.0.0.1', (error) => {
  if (error) {
    console.error(`cannot listen: ${error.message}`);
    process.exit(1);
  }
  console.log(`listening on ${server.address().port}`);
});
