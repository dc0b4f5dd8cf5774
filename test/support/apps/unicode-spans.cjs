'use strict';
// One local trace of spans whose names and attributes hold non-ASCII text (accents, CJK,
// emoji) and values longer than the exporter's first guess of a span's size, made with the
// OpenTelemetry API; the script then ends and Strata flushes on exit.
const api = require('@opentelemetry/api');

const tracer = api.trace.getTracer('strata-e2e-unicode');
tracer.startActiveSpan('racine café', (root) => {
  for (let i = 0; i < 12; i++) {
    const span = tracer.startSpan(`enfant ${i} ✓`, {
      attributes: {
        'text.unicode': `Grüße ${i}, 日本語, 🎉`,
        'text.long': `${'x'.repeat(3000)}${i}`,
        'text.ascii': 'plain',
        index: i,
      },
    });
    span.end();
  }
  root.setAttribute('text.emoji', '🎉 fin');
  root.end();
});
console.log('spans made');
