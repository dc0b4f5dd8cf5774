// The payments service: plain node:http, answers POST /charge after a few milliseconds.
//   OTEL_SERVICE_NAME=payments PORT=3003 node --require @strata/node/register payments.js
// Knobs: ?slow=payments:MS (answer MS later), ?fail=payments (answer 502).
const http = require('node:http');
const { knobs, sleep } = require('./knobs');

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://payments');
  if (url.pathname === '/healthz') return res.end('ok');
  if (req.method !== 'POST' || url.pathname !== '/charge') {
    res.statusCode = 404;
    return res.end();
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  const k = knobs(Object.fromEntries(url.searchParams));
  await sleep(2 + (k.slow.payments ?? 0));
  res.setHeader('content-type', 'application/json');
  if (k.fail.has('payments')) {
    res.statusCode = 502;
    return res.end(JSON.stringify({ error: 'card network unavailable' }));
  }
  const { amount_cents: amount = 0 } = JSON.parse(body || '{}');
  res.end(JSON.stringify({ charged_cents: amount, id: `pay_${Date.now().toString(36)}` }));
});

server.listen(Number(process.env.PORT ?? 3003), '127.0.0.1', () =>
  console.log(`payments listening on ${server.address().port}`),
);
