import { type HrTime, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  attributeLayers,
  type LayerClassifier,
  type LayerMetrics,
  type LayerSpan,
  layerAttributes,
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
    const layerSpans = toLayerSpans(spans, root);
    const rootIndex = spans.indexOf(root);
    const result = attributeLayers(
      layerSpans,
      rootIndex === -1 ? toLayerSpan(root, root.startTime) : rootIndex,
      classify,
    );
    const msByLayer = layerAttributes(result);
    Object.assign(root.attributes as Record<string, unknown>, msByLayer);
    metrics?.record(result, {
      route: root.attributes['http.route'] as string | undefined,
      method: root.attributes['http.request.method'] as string | undefined,
    });
    const layerMs: Record<string, number> = {};
    for (const key in msByLayer) layerMs[key.slice(13, -3)] = msByLayer[key];
    return { layerMs };
  };
}

function toLayerSpans(spans: readonly ReadableSpan[], root: ReadableSpan): LayerSpan[] {
  const origin = root.startTime;
  const out = new Array<LayerSpan>(spans.length);
  for (let i = 0; i < spans.length; i++) out[i] = toLayerSpan(spans[i], origin);
  return out;
}

function toLayerSpan(span: ReadableSpan, origin: HrTime): LayerSpan {
  return {
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.isRemote ? undefined : span.parentSpanContext?.spanId,
    name: span.name,
    kind: span.kind,
    scope: span.instrumentationScope.name,
    // Relative to the root start: absolute epoch nanoseconds do not fit a double exactly.
    start: relativeNs(span.startTime, origin),
    end: relativeNs(span.endTime, origin),
    attributes: span.attributes,
    error: span.status.code === SpanStatusCode.ERROR,
  };
}

function relativeNs(time: HrTime, origin: HrTime): number {
  return (time[0] - origin[0]) * 1e9 + (time[1] - origin[1]);
}
