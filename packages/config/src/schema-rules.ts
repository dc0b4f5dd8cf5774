import type { Fields } from './schema-fields';

const STATUS_EXPECTED = 'an HTTP status code (100-599) or class such as 5xx';

/** One entry of sampling.outliers.rules. */
export function outlierRuleSchema({ z, str, bool, num, duration, layerName, attributes }: Fields) {
  return z.strictObject({
    name: str('Rule name; kept roots carry strata.sampling.reason rule:<name>. Must be unique.'),
    when: z
      .strictObject({
        route: str(
          'Glob over http.route (else the path); * matches any run of characters.',
        ).optional(),
        method: str('HTTP request method.')
          .transform((m) => m.toUpperCase())
          .optional(),
        span: str('Glob over span names: any span of the local trace.').optional(),
        attributes: attributes('Attribute equality on the local root.').optional(),
        layer: layerName(
          'Layer; with over, the layer time in the request must exceed it.',
        ).optional(),
        over: duration('The request (or the layer) took longer than this.').optional(),
        status: z
          .union(
            [
              num('An HTTP status code.', STATUS_EXPECTED, 100, 599, true),
              z
                .string()
                .regex(/^[1-5]xx$/i, { error: STATUS_EXPECTED })
                .transform((s) => s.toLowerCase()),
            ],
            { error: STATUS_EXPECTED },
          )
          .describe('HTTP status code or class (5xx).')
          .optional(),
      })
      .describe('Conditions, all of which must hold.'),
    keep: bool('Keep (true, the default) or drop the matching trace.').optional(),
  });
}

/** One entry of layers.rules. */
export function layerRuleSchema({ z, str, layerName, attributes }: Fields) {
  return z.strictObject({
    when: z
      .strictObject({
        scope: str('Glob over the instrumentation scope name.').optional(),
        span: str('Glob over the span name.').optional(),
        kind: z
          .enum(['server', 'client', 'internal', 'producer', 'consumer'], {
            error: 'server, client, internal, producer or consumer',
          })
          .describe('Span kind.')
          .optional(),
        attributes: attributes('Attribute equality on the span.').optional(),
      })
      .describe('Conditions, all of which must hold.'),
    layer: layerName('The layer of matching spans.'),
    system: str('layer.system of matching spans (postgresql, redis, a peer service…).').optional(),
  });
}
