import { type Attributes, type Histogram, type Meter, ValueType } from '@opentelemetry/api';
import { METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';

/** Semconv bucket advice for `http.server.request.duration` (seconds). */
export const HTTP_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** `http.server.request.duration`, created as the stock instrumentation does. */
export function createDurationHistogram(meter: Meter): Histogram<Attributes> {
  return meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    valueType: ValueType.DOUBLE,
    advice: { explicitBucketBoundaries: [...HTTP_DURATION_BUCKETS] },
  });
}
