export { attributeLayers } from './attribute-layers';
export { createLayerClassifier } from './classifier';
export type { GlobMatcher } from './glob';
export { compileGlob } from './glob';
export { BUILTIN_LAYERS } from './infer-layer';
export { layerAttributeKey, layerAttributes, layerMilliseconds } from './layer-attributes';
export {
  createLayerMetrics,
  LAYER_DURATION_BUCKETS,
  LAYER_DURATION_DESCRIPTION,
  LAYER_DURATION_METRIC,
  LAYER_TIME_METRIC,
} from './layer-metrics';
export { normalizeMethod, OTHER_METHOD, OTHER_ROUTE } from './request-labels';
export type {
  ClassifyFn,
  LayerAttribution,
  LayerClass,
  LayerClassifier,
  LayerMetrics,
  LayerMetricsOptions,
  LayerRule,
  LayerRuleValue,
  LayerSpan,
  LayerTime,
  RequestLabels,
} from './types';
