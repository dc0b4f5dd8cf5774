// The gateway: Express. Proxies the catalog, keeps carts in Redis, and checks out through payments.
//   OTEL_SERVICE_NAME=gateway PORT=3001 CATALOG_URL=http://127.0.0.1:3002 \
//   PAYMENTS_URL=http://127.0.0.1:3003 node --require @strata/node/register gateway.js
// Knobs: ?slow=cache:MS (a Redis call that blocks MS), ?slow=app:MS (CPU in the handler);
// `slow` and `fail` are forwarded to the catalog and payments (see knobs.js).
const express = require('express');
const Redis = require('ioredis');
const { knobs, forward, burn } = require('./knobs');

const catalog = process.env.CATALOG_URL ?? 'http://127.0.0.1:3002';
const payments = process.env.PAYMENTS_URL ?? 'http://127.0.0.1:3003';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl);
// Connections for the injected slow calls: BLPOP blocks the connection it runs on.
const idle = [];

const app = express();
const cartKey = (user) => `strata-shop:cart:${user}`;

// The injected faults of this request, applied where they belong.
app.use((req, _res, next) => {
  req.knobs = knobs(req.query);
  if (req.knobs.slow.app) burn(req.knobs.slow.app);
  next();
});

// `slow=cache:MS`. From 100 ms: one BLPOP that times out after MS (Redis checks blocking
// timeouts about every 100 ms, so it ends up to ~100 ms later). Under 100 ms: a chatty cache,
// GET after GET until MS have passed. Either way the time is in the cache layer.
async function slowCache(req) {
  const ms = req.knobs.slow.cache;
  if (!ms) return;
  if (ms < 100) {
    const end = performance.now() + ms;
    while (performance.now() < end) await redis.get('strata-shop:hot-key');
    return;
  }
  const connection = idle.pop() ?? new Redis(redisUrl);
  try {
    await connection.blpop('strata-shop:never', ms / 1000);
  } finally {
    idle.push(connection);
  }
}

async function fromCatalog(req, res, path) {
  const response = await fetch(`${catalog}${path}${forward(req.knobs)}`);
  res.status(response.status).json(await response.json());
}

app.get('/healthz', (_req, res) => res.send('ok'));
app.get('/api/products', (req, res) => fromCatalog(req, res, '/products'));
app.get('/api/products/:id', (req, res) =>
  fromCatalog(req, res, `/products/${encodeURIComponent(req.params.id)}`),
);

app.post('/api/cart/:user/items', async (req, res) => {
  await slowCache(req);
  const product = String(req.query.product ?? '1');
  const count = await redis.hincrby(cartKey(req.params.user), product, 1);
  await redis.expire(cartKey(req.params.user), 3600);
  res.status(201).json({ product, count });
});

app.get('/api/cart/:user', async (req, res) => {
  await slowCache(req);
  res.json(await redis.hgetall(cartKey(req.params.user)));
});

app.post('/api/checkout/:user', async (req, res) => {
  await slowCache(req);
  const cart = await redis.hgetall(cartKey(req.params.user));
  const items = Object.values(cart).reduce((sum, n) => sum + Number(n), 0);
  const charge = await fetch(`${payments}/charge${forward(req.knobs)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: req.params.user, amount_cents: items * 1250 }),
  });
  const result = await charge.json();
  if (!charge.ok) return res.status(502).json({ error: `payment failed: ${result.error}` });
  await redis.del(cartKey(req.params.user));
  res.json({ items, ...result });
});

// Answer failures without a stack trace per request.
app.use((err, _req, res, _next) => res.status(500).json({ error: err.message }));

const server = app.listen(Number(process.env.PORT ?? 3001), '127.0.0.1', () =>
  console.log(`gateway listening on ${server.address().port}`),
);
