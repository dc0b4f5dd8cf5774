import { type HrTime, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  attributeLayers,
  type LayerClassifier,
  type LayerMetrics,
  type LayerSpan,
  layerAttributeKey,
  layerMilliseconds,
} from '@strata/layers';
import type { LocalTrace, LocalTraceFacts } from '@strata/sampling';

/**
 * The `onLocalTrace` hook: attribute a finished local trace to layers, put
 * `strata.layer.<layer>.ms` on its root (still unexported, so still mutable)
 * and record the layer metrics over all traffic. Returns per-layer
 * milliseconds for `layer` + `over` outlier rules.
 */
export function createLayerHook(
  classifier: LayerClassifier,
  metrics: LayerMetrics | undefined,
): (trace: LocalTrace) => LocalTraceFacts | undefined {
  const classify = classifier.classify.bind(classifier);
  return (trace) => {
    const { root, spans } = trace;
    // A root still open (decided early: buffer full, root timeout, shutdown)
    // has no duration yet: attributing it would record a 0 s request.
    if (!root.ended) return undefined;
    const layerSpans = toLayerSpans(spans, root);
    const rootIndex = spans.indexOf(root);
    const result = attributeLayers(
      layerSpans,
      rootIndex === -1 ? toLayerSpan(root, root.startTime, monotonicStart(root)) : rootIndex,
      classify,
    );
    const layerMs = layerMilliseconds(result);
    const attributes = root.attributes as Record<string, unknown>;
    for (const layer in layerMs) attributes[layerAttributeKey(layer)] = layerMs[layer];
    metrics?.record(result, {
      route: attributes['http.route'] as string | undefined,
      method: attributes['http.request.method'] as string | undefined,
    });
    return { layerMs };
  };
}

function toLayerSpans(spans: readonly ReadableSpan[], root: ReadableSpan): LayerSpan[] {
  const origin = root.startTime;
  const clock = monotonicStart(root);
  const out = new Array<LayerSpan>(spans.length);
  for (let i = 0; i < spans.length; i++) out[i] = toLayerSpan(spans[i], origin, clock);
  return out;
}

function toLayerSpan(span: ReadableSpan, origin: HrTime, rootClock?: number): LayerSpan {
  const clock = rootClock === undefined ? undefined : monotonicStart(span);
  // Relative to the root start: absolute epoch nanoseconds do not fit a double exactly.
  const start =
    clock === undefined
      ? relativeNs(span.startTime, origin)
      : Math.round((clock - (rootClock as number)) * 1e6);
  return {
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.isRemote ? undefined : span.parentSpanContext?.spanId,
    name: span.name,
    kind: span.kind,
    scope: span.instrumentationScope.name,
    start,
    // start + exported duration: the root's interval is exactly its exported duration either way.
    end: clock === undefined ? relativeNs(span.endTime, origin) : start + hrNs(span.duration),
    attributes: span.attributes,
    error: span.status.code === SpanStatusCode.ERROR,
  };
}

/**
 * What Strata's span (src/trace/strata-span.ts) keeps besides the `ReadableSpan` interface,
 * under the SDK `Span` class's own names, so spans of either read the same here.
 */
interface SdkSpanClock {
  _performanceStartTime?: unknown;
  _startTimeProvided?: unknown;
}

/**
 * `performance.now()` at the span's start, when the span kept it. Both spans stamp a start with
 * `Date.now()` (whole milliseconds) and its end as start + a `performance.now()` duration, so
 * on `startTime` spans jitter by up to 1 ms against each other: back-to-back calls seem to
 * overlap and sub-millisecond calls in one millisecond collapse into one (20 sequential Redis
 * GETs of 0.15 ms read as ~0.5 ms of cache). Placing spans on the monotonic clock keeps every
 * exported duration and fixes their order. Undefined (fall back to `startTime`) when the
 * instrumentation gave the start itself or the span has no such field.
 */
function monotonicStart(span: ReadableSpan): number | undefined {
  const { _performanceStartTime: clock, _startTimeProvided: provided } =
    span as unknown as SdkSpanClock;
  return provided === false && typeof clock === 'number' && Number.isFinite(clock)
    ? clock
    : undefined;
}

function hrNs(time: HrTime): number {
  return time[0] * 1e9 + time[1];
}

function relativeNs(time: HrTime, origin: HrTime): number {
  return (time[0] - origin[0]) * 1e9 + (time[1] - origin[1]);
}
