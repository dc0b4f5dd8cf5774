'use strict';
// The shop's hot path: one request = a PostgreSQL query, a Redis GET and an outbound HTTP call,
// the mix of layers Strata attributes time to.
const express = require('express');
const { Pool } = require('pg');
const Redis = require('ioredis');

const upstream = process.env.UPSTREAM_URL ?? 'http://127.0.0.1:3001';
const pool = new Pool({
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  database: 'test',
  max: 10,
});
const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });

const app = express();
app.get('/order/:id', async (req, res, next) => {
  try {
    const id = Number.parseInt(req.params.id, 10) || 0;
    const { rows } = await pool.query('SELECT $1::int AS id, now() AS at', [id]);
    const cached = await redis.get(`bench:order:${id % 100}`);
    const price = await (await fetch(`${upstream}/price/${id}`)).json();
    res.json({ id: rows[0].id, at: rows[0].at, cached, price });
  } catch (error) {
    next(error);
  }
});

async function main() {
  await redis.connect();
  const keys = Array.from({ length: 100 }, (_, i) => [`bench:order:${i}`, 'warm']);
  await redis.mset(Object.fromEntries(keys));
  const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
    console.log(`listening on ${server.address().port}`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
