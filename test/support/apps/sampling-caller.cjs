'use strict';
// The caller of the sampling e2e tests: Express 5 calling CALLEE_URL with fetch.
// Every response carries `x-trace-id` (the caller's trace id) so a test can
// match requests with exported traces.
//   GET /order/:id?kind=ok|slow|fail  proxies the callee; a callee 500 answers 500
//   GET /absorb/:id                   the callee fails, the caller answers 200 at once
//   GET /vip/:id                      proxies the callee (a strata.yaml rule keeps this route)
//   GET /late/keep, /late/drop?ms=N   answer now; a child span ends N ms later
//   GET /fanout?n=N                   N internal child spans (the last ends 1 s after the response), for buffer load
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
  // Work that outlives the response: the last step ends 1 s after it, so
  // each local trace stays in the buffer (within the grace) until then.
  const steps = [];
  for (let i = 0; i < n; i++) {
    const step = tracer.startSpan('fanout-step', {
      attributes: { 'app.step': i, 'app.note': 'buffer load' },
    });
    if (i === n - 1) steps.push(step);
    else step.end();
  }
  res.send(`${n}`);
  setTimeout(() => {
    for (const step of steps) step.end();
  }, 1000);
});

const { PORT = '3000' } = process.env;
const server = app.listen(Number(PORT), '127.0.0.1', (error) => {
  if (error) {
    console.error(`cannot listen: ${error.message}`);
    process.exit(1);
  }
  console.log(`listening on ${server.address().port}`);
});
