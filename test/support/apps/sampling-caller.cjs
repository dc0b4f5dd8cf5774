'use strict';
// The caller of the sampling e2e tests: Express 5 calling CALLEE_URL with fetch.
// Every response carries `x-trace-id` (the caller's trace id) so a test can
// match requests with exported traces.
//   GET /order/:id?kind=ok|slow|fail  proxies the callee; a callee 500 answers 500
//   GET /absorb/:id                   the callee fails, the caller answers 200 at once
//   GET /vip/:id                      proxies the callee (a strata.yaml rule keeps this route)
//   GET /late/keep, /late/drop?ms=N   answer now; a child span ends N ms later
//   GET /fanout?n=N                   N internal child spans, for buffer load
// PORT from the environment; prints `listening on <port>`.
const express = require('express');
const api = require('@opentelemetry/api');

const tracer = api.trace.getTracer('sampling-e2e-app');
// Unset in tests that use no callee: calls then fail at once.
const { CALLEE_URL: callee = 'http://127.0.0.1:1' } = process.env;

const app = express();
app.use((_req, res, next) => {
  const span = api.trace.getActiveSpan();
  if (span) res.setHeader('x-trace-id', span.spanContext().traceId);
  next();
});

async function callCallee(id, kind) {
  const response = await fetch(`${callee}/item/${id}?kind=${kind}`);
  await response.arrayBuffer();
  return response.status;
}

app.get('/order/:id', async (req, res, next) => {
  try {
    const status = await callCallee(req.params.id, req.query.kind || 'ok');
    res.status(status === 200 ? 200 : 500).send(`callee ${status}`);
  } catch (error) {
    next(error);
  }
});
app.get('/absorb/:id', async (req, res) => {
  const status = await callCallee(req.params.id, 'fail').catch(() => 0);
  res.send(`fallback (callee ${status})`);
});
app.get('/vip/:id', async (req, res, next) => {
  try {
    const status = await callCallee(req.params.id, 'ok');
    res.status(status === 200 ? 200 : 500).send(`callee ${status}`);
  } catch (error) {
    next(error);
  }
});
// Two routes, so a strata.yaml rule can keep one: fire-and-forget work that outlives the
// request, its span ending after the local root (+ grace).
function late(req, res) {
  const ms = Math.min(Number(req.query.ms) || 0, 10_000);
  const span = tracer.startSpan('late-work');
  setTimeout(() => span.end(), ms);
  res.send('accepted');
}
app.get('/late/keep', late);
app.get('/late/drop', late);
app.get('/fanout', (req, res) => {
  const n = Math.min(Number(req.query.n) || 1, 10_000);
  for (let i = 0; i < n; i++) {
    tracer
      .startSpan('fanout-step', { attributes: { 'app.step': i, 'app.note': 'buffer load' } })
      .end();
  }
  res.send(`${n}`);
});

const { PORT = '3000' } = process.env;
const server = app.listen(Number(PORT), '127.0.0.1', (error) => {
  if (error) {
    console.error(`cannot listen: ${error.message}`);
    process.exit(1);
  }
  console.log(`listening on ${server.address().port}`);
});
