'use strict';
// A node:http app that puts Strata's trace buffer under pressure: /hold keeps a
// request open (a local root with no children), /work ends a child span at
// once. With many holds in flight and a tiny buffer, making room for /work's
// span decides the held traces early and then drops the span.
const http = require('node:http');
const { trace } = require('@opentelemetry/api');

const tracer = trace.getTracer('buffer-pressure');
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/hold')) {
    setTimeout(() => res.end('held'), 1500);
    return;
  }
  tracer.startActiveSpan('work', (span) => {
    span.end();
    res.end('worked');
  });
});
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the test helper, not a build input
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
