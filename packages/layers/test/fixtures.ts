import type { LayerAttribution, LayerSpan } from '../src/index';

/** A span whose layer and system are set explicitly through `strata.layer` attributes. */
export function span(
  id: string,
  parent: string | undefined,
  start: number,
  end: number,
  layer = 'app',
  system = 'test',
): LayerSpan {
  return {
    spanId: id,
    parentSpanId: parent,
    name: id,
    kind: 0,
    scope: 'test',
    start,
    end,
    attributes: { 'strata.layer': layer, 'strata.layer.system': system },
  };
}

/** `{ 'layer/system': [wall, work] }` for compact exact assertions. */
export function table(result: LayerAttribution): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const e of result.entries) out[`${e.layer}/${e.system}`] = [e.wall, e.work];
  return out;
}
