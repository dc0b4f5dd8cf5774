import type { LayerAttribution } from './types';

const keys = new Map<string, string>();

function keyOf(layer: string): string {
  let key = keys.get(layer);
  if (key === undefined) {
    key = `strata.layer.${layer}.ms`;
    if (keys.size < 1024) keys.set(layer, key);
  }
  return key;
}

/** Root span attributes `strata.layer.<layer>.ms` (wall time summed over systems, ms as double). */
export function layerAttributes(result: LayerAttribution): Record<string, number> {
  const out: Record<string, number> = {};
  // Sum integer nanoseconds first, convert once: no float drift between systems of a layer.
  for (const { layer, wall } of result.entries) {
    const key = keyOf(layer);
    out[key] = (out[key] ?? 0) + wall;
  }
  for (const key in out) out[key] /= 1e6;
  return out;
}
