// The catalog service: Fastify on PostgreSQL. Creates and seeds its table on start.
//   OTEL_SERVICE_NAME=catalog PORT=3002 node --require @strata/node/register catalog.js
// Knobs: ?slow=db:MS (the query also sleeps MS in PostgreSQL), ?fail=db (a failing query).
const Fastify = require('fastify');
const { Pool } = require('pg');
const { knobs } = require('./knobs');

const pool = new Pool({
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD,
  database: process.env.PGDATABASE ?? 'test',
  max: 8,
});

const PRODUCTS = ['kettle', 'teapot', 'mug', 'grinder', 'scale', 'filter', 'beans', 'tray'];

async function setUp() {
  await pool.query(`CREATE TABLE IF NOT EXISTS strata_shop_products (
    id integer PRIMARY KEY, name text NOT NULL, price_cents integer NOT NULL)`);
  const ids = Array.from({ length: 40 }, (_, i) => i + 1);
  await pool.query(
    `INSERT INTO strata_shop_products (id, name, price_cents)
     SELECT id, name || ' #' || id, 500 + id * 37
     FROM unnest($1::int[], $2::text[]) AS seed(id, name)
     ON CONFLICT (id) DO NOTHING`,
    [ids, ids.map((id) => PRODUCTS[id % PRODUCTS.length])],
  );
}

const app = Fastify();

app.get('/healthz', async () => 'ok');

app.get('/products', async (req) => {
  const k = knobs(req.query);
  const table = k.fail.has('db') ? 'strata_shop_no_such_table' : 'strata_shop_products';
  const { rows } = await pool.query(
    `SELECT id, name, price_cents FROM ${table}, pg_sleep($1) ORDER BY id LIMIT 20`,
    [(k.slow.db ?? 0) / 1000],
  );
  return rows;
});

app.get('/products/:id', async (req, reply) => {
  const k = knobs(req.query);
  const table = k.fail.has('db') ? 'strata_shop_no_such_table' : 'strata_shop_products';
  const { rows } = await pool.query(
    `SELECT id, name, price_cents FROM ${table}, pg_sleep($2) WHERE id = $1`,
    [Number(req.params.id) || 0, (k.slow.db ?? 0) / 1000],
  );
  if (rows.length === 0) return reply.code(404).send({ error: 'no such product' });
  return rows[0];
});

setUp()
  .then(() => app.listen({ port: Number(process.env.PORT ?? 3002), host: '127.0.0.1' }))
  .then(() => console.log(`catalog listening on ${app.server.address().port}`))
  .catch((error) => {
    console.error(`catalog cannot start: ${error.message}`);
    process.exit(1);
  });
