import type { LayerAttribution } from './types';

const keys = new Map<string, string>();

/** The root span attribute of a layer: `strata.layer.<layer>.ms`. */
export function layerAttributeKey(layer: string): string {
  let key = keys.get(layer);
  if (key === undefined) {
    key = `strata.layer.${layer}.ms`;
    if (keys.size < 1024) keys.set(layer, key);
  }
  return key;
}

/** Wall time per layer in ms (summed over its systems, as a double), keyed by layer name. */
export function layerMilliseconds(result: LayerAttribution): Record<string, number> {
  const out: Record<string, number> = {};
  const entries = result.entries;
  // Entries come sorted by layer: sum a layer's integer nanoseconds first, convert once (no
  // float drift between systems of a layer). Unsorted entries still add up.
  for (let i = 0; i < entries.length; ) {
    const layer = entries[i].layer;
    let ns = 0;
    for (; i < entries.length && entries[i].layer === layer; i++) ns += entries[i].wall;
    out[layer] = (out[layer] ?? 0) + ns / 1e6;
  }
  return out;
}

/** Root span attributes `strata.layer.<layer>.ms` (wall time summed over systems, ms as double). */
export function layerAttributes(result: LayerAttribution): Record<string, number> {
  const ms = layerMilliseconds(result);
  const out: Record<string, number> = {};
  for (const layer in ms) out[layerAttributeKey(layer)] = ms[layer];
  return out;
}
