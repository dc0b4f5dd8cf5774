import { type Attributes, diag, type Meter } from '@opentelemetry/api';
import { BoundedValues, normalizeMethod, OTHER_ROUTE } from './request-labels';
import type { LayerAttribution, LayerMetrics, LayerMetricsOptions, RequestLabels } from './types';

/** Counter of wall time per layer, seconds (Prometheus `strata_request_layer_time_seconds_total`). */
export const LAYER_TIME_METRIC = 'strata.request.layer.time';
/** Histogram of per-request time in a layer, seconds. */
export const LAYER_DURATION_METRIC = 'strata.request.layer.duration';
/** Description of the layer duration histogram. */
export const LAYER_DURATION_DESCRIPTION = 'Time one request spent in a layer.';
/** Bucket boundaries (s): the HTTP duration ones plus sub-5 ms steps, where cache and DB calls sit. */
export const LAYER_DURATION_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1,
  2.5, 5, 7.5, 10,
];
const OTHER_SYSTEM = '_other';
const NONE = '\u0000';
// Bounds the attribute-object memo even if systems churn: rebuilt from scratch past this.
const MAX_CACHED = 20_000;

/** Cumulative wall time of one (layer, system, route, method), integer ns. */
interface TimeCell {
  readonly attrs: Attributes;
  ns: number;
}

/** Attribute objects of one (route, method), reused for every request that has them. */
interface LabelSet {
  readonly base: Attributes;
  readonly layers: Map<string, Attributes>;
  readonly pairs: Map<string, Map<string, TimeCell>>;
}

function sanitize(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (Number.isFinite(value) && value >= 0) return Math.floor(value);
  diag.warn(`strata layers: ${name} ${value} - expected a non-negative integer, using ${fallback}`);
  return fallback;
}

/**
 * Layer metrics over all traffic: per (layer, layer.system) the counter gets the request's wall
 * time; per layer the histogram gets it summed over systems. A request without a route (or a
 * method) has no `http.route` (`http.request.method`) attribute, as in the HTTP semantic
 * conventions. Zero-time layers are not recorded.
 */
export function createLayerMetrics(meter: Meter, options: LayerMetricsOptions): LayerMetrics {
  // The counter is observable: a request adds to a cell it already holds,
  // instead of `counter.add()`, which hashes the attribute set on every call
  // (the largest single cost per request in a profile). Values are read at
  // collection time.
  const cells = new Map<string, TimeCell>();
  meter
    .createObservableCounter(LAYER_TIME_METRIC, {
      unit: 's',
      description: 'Wall time of requests spent in each layer (wall-share attribution).',
    })
    .addCallback((result) => {
      for (const cell of cells.values()) result.observe(cell.ns / 1e9, cell.attrs);
    });
  const histogram =
    options.durationHistogram ??
    meter.createHistogram(LAYER_DURATION_METRIC, {
      unit: 's',
      description: LAYER_DURATION_DESCRIPTION,
      advice: { explicitBucketBoundaries: [...LAYER_DURATION_BUCKETS] },
    });
  const routes = new BoundedValues(sanitize(options.maxRoutes, 100, 'maxRoutes'), OTHER_ROUTE);
  const maxSystems = sanitize(options.maxSystems, 100, 'maxSystems');
  const systems = new Map<string, BoundedValues>();
  let cache = new Map<string, Map<string, LabelSet>>();
  let cached = 0;

  const labelSet = (route: string | undefined, method: string | undefined): LabelSet => {
    let byMethod = cache.get(route ?? NONE);
    if (byMethod === undefined) {
      byMethod = new Map();
      cache.set(route ?? NONE, byMethod);
    }
    let set = byMethod.get(method ?? NONE);
    if (set === undefined) {
      const base: Attributes = {};
      if (route !== undefined) base['http.route'] = route;
      if (method !== undefined) base['http.request.method'] = method;
      set = { base, layers: new Map(), pairs: new Map() };
      byMethod.set(method ?? NONE, set);
    }
    return set;
  };

  // Like the counter cells, histogram attribute objects outlive the memo: a
  // histogram keyed by attribute object must get the same one per label set.
  // Frozen, so the metrics SDK hashes each once instead of at every point.
  const layerAttrsByKey = new Map<string, Attributes>();
  const layerAttrs = (set: LabelSet, layer: string): Attributes => {
    let attrs = set.layers.get(layer);
    if (attrs === undefined) {
      const key = `${layer}\u0000${set.base['http.route'] ?? NONE}\u0000${set.base['http.request.method'] ?? NONE}`;
      attrs = layerAttrsByKey.get(key);
      if (attrs === undefined) {
        attrs = Object.freeze({ layer, ...set.base });
        layerAttrsByKey.set(key, attrs);
      }
      set.layers.set(layer, attrs);
      cached++;
    }
    return attrs;
  };

  const pairCell = (set: LabelSet, layer: string, rawSystem: string): TimeCell => {
    let bySystem = set.pairs.get(layer);
    if (bySystem === undefined) {
      bySystem = new Map();
      set.pairs.set(layer, bySystem);
    }
    let cell = bySystem.get(rawSystem);
    if (cell === undefined) {
      let bound = systems.get(layer);
      if (bound === undefined) {
        bound = new BoundedValues(maxSystems, OTHER_SYSTEM);
        systems.set(layer, bound);
      }
      const system = bound.admit(rawSystem);
      // Cells outlive the memo (cumulative values must not restart); their
      // number is bounded by the route, method and system limits.
      const key = `${layer}\u0000${system}\u0000${set.base['http.route'] ?? NONE}\u0000${set.base['http.request.method'] ?? NONE}`;
      cell = cells.get(key);
      if (cell === undefined) {
        cell = { attrs: { layer, 'layer.system': system, ...set.base }, ns: 0 };
        cells.set(key, cell);
      }
      bySystem.set(rawSystem, cell);
      cached++;
    }
    return cell;
  };

  const record = (result: LayerAttribution, labels: RequestLabels): void => {
    if (cached > MAX_CACHED) {
      cache = new Map();
      cached = 0;
    }
    const route = labels.route === undefined ? undefined : routes.admit(labels.route);
    const method = labels.method === undefined ? undefined : normalizeMethod(labels.method);
    const set = labelSet(route, method);
    const entries = result.entries;
    // Entries come sorted by layer: sum a layer's systems for the histogram as we go.
    let layerSum = 0;
    for (let i = 0; i < entries.length; i++) {
      const { layer, system, wall } = entries[i];
      if (wall > 0) {
        pairCell(set, layer, system).ns += wall;
        layerSum += wall;
      }
      if (i + 1 === entries.length || entries[i + 1].layer !== layer) {
        if (layerSum > 0) histogram.record(layerSum / 1e9, layerAttrs(set, layer));
        layerSum = 0;
      }
    }
  };

  return { record };
}
