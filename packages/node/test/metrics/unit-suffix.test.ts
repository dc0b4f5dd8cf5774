import { describe, expect, it } from 'vitest';
import { withUnitSuffix } from '../../src/metrics/unit-suffix';

describe('withUnitSuffix', () => {
  it.each([
    ['strata.request.layer.time', 's', 'strata.request.layer.time.seconds'],
    ['http.server.request.duration', 's', 'http.server.request.duration.seconds'],
    ['strata.sampling.buffer.bytes', 'By', 'strata.sampling.buffer.bytes'],
    ['v8js.memory.heap.used', 'By', 'v8js.memory.heap.used.bytes'],
    ['strata.sampling.traces', undefined, 'strata.sampling.traces'],
    ['nodejs.eventloop.utilization', '1', 'nodejs.eventloop.utilization'],
    ['otel.sdk.span.started', '{span}', 'otel.sdk.span.started'],
  ])('%s (%s) → %s', (name, unit, expected) => {
    expect(withUnitSuffix(name, unit)).toBe(expected);
  });
});
