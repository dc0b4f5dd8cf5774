'use strict';
// The callee of the sampling e2e tests: Express 5 on PostgreSQL.
// GET /item/:id?kind=ok|slow|fail — ok: one query; slow: pg_sleep past the slow
// ceiling (SLOW_MS, default 250); fail: one query, then a 500 through next(err).
// PORT from the environment; prints `listening on <port>`.
const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  database: 'test',
  max: 20,
});
const { SLOW_MS = '250' } = process.env;
const slowSeconds = Number(SLOW_MS) / 1000;

const app = express();
app.get('/item/:id', async (req, res, next) => {
  try {
    const kind = req.query.kind || 'ok';
    const sql = kind === 'slow' ? 'select $1::int as id, pg_sleep($2)' : 'select $1::int as id';
    const params = kind === 'slow' ? [Number(req.params.id), slowSeconds] : [Number(req.params.id)];
    const { rows } = await pool.query(sql, params);
    if (kind === 'fail') throw new Error(`item ${req.params.id} failed`);
    res.json({ id: rows[0].id });
  } catch (error) {
    next(error);
  }
});
// Answer 500 without Express's default stack trace on stderr (hundreds of them in a flood).
app.use((_error, _req, res, _next) => {
  res.status(500).send('failed');
});

const { PORT = '3001' } = process.env;
const server = app.listen(Number(PORT), '127.0.0.1', (error) => {
  if (error) {
    console.error(`cannot listen: ${error.message}`);
    process.exit(1);
  }
  console.log(`listening on ${server.address().port}`);
});
