import { INSTRUMENTATION_NAMES, LOG_LEVELS } from './names';
import { exportersSchema } from './schema-exporters';
import { fieldBuilders } from './schema-fields';
import { layerRuleSchema } from './schema-rules';
import { samplingSchema } from './schema-sampling';

/** The zod schema of strata.yaml as written (every key optional; human forms normalised). */
export function buildFileSchema() {
  const fields = fieldBuilders();
  const { z, str, bool, count, duration, size, attributes } = fields;

  const layerRule = layerRuleSchema(fields);
  const instrumentation = z.enum(INSTRUMENTATION_NAMES, {
    error: `an instrumentation name (${INSTRUMENTATION_NAMES.join(', ')})`,
  });

  return z.strictObject({
    service: z
      .strictObject({
        name: str('Service name. Else OTEL_SERVICE_NAME, else package.json name.').optional(),
        attributes: attributes(
          'Resource attributes; OTEL_RESOURCE_ATTRIBUTES fills keys not set here.',
        ).optional(),
      })
      .optional(),
    exporters: exportersSchema(fields),
    sampling: samplingSchema(fields),
    layers: z
      .strictObject({
        rules: z
          .array(layerRule, { error: 'a list of rules' })
          .describe('Layer of matching spans; first match wins.')
          .optional(),
        max_routes: count(
          'Distinct http.route label values before new ones read _other. Default 500.',
        ).optional(),
      })
      .optional(),
    instrumentations: z
      .strictObject({
        disabled: z
          .array(instrumentation, { error: 'a list of instrumentation names' })
          .describe('Turned off, in addition to fs, dns and net.')
          .optional(),
        enabled: z
          .array(instrumentation, { error: 'a list of instrumentation names' })
          .describe('Turned on although off by default (fs, dns, net).')
          .optional(),
        http: z
          .strictObject({
            ignore_paths: z
              .array(z.string({ error: 'a path or glob' }), { error: 'a list of paths' })
              .describe('Incoming paths not traced (exact or glob).')
              .optional(),
          })
          .optional(),
      })
      .optional(),
    runtime: z
      .strictObject({
        young_generation_limit: size(
          "Stop V8's young generation growing past this size; 0 leaves V8's own limit. Default 16MB.",
        ).optional(),
      })
      .optional(),
    shutdown: z
      .strictObject({
        timeout: duration('Flush deadline on SIGTERM, SIGINT and exit. Default 5s.').optional(),
      })
      .optional(),
    strict: bool(
      'A bad strata.yaml stops the application instead of turning telemetry off. Default false.',
    ).optional(),
    log_level: z
      .enum(LOG_LEVELS, { error: LOG_LEVELS.join(', ') })
      .describe('Diagnostic log level. Else OTEL_LOG_LEVEL. Default info.')
      .optional(),
    disabled: bool('Turn Strata off. Else OTEL_SDK_DISABLED. Default false.').optional(),
  });
}

/** The strata.yaml schema type. */
export type FileSchema = ReturnType<typeof buildFileSchema>;

let cached: FileSchema | undefined;

/** The strata.yaml schema, built once on first use. */
export function fileSchema(): FileSchema {
  cached ??= buildFileSchema();
  return cached;
}
