import { zodModule } from './lazy';
import { fileSchema } from './schema';
import { ENV_REF_JSON, jsonForms } from './schema-fields';

type Json = Record<string, unknown>;

// Values an editor would flag although Strata accepts them after `${VAR}` substitution.
function acceptsEnvRef(schema: Json): boolean {
  return (
    ['number', 'integer', 'boolean'].includes(schema.type as string) ||
    'enum' in schema ||
    'const' in schema ||
    'pattern' in schema
  );
}

/** The JSON Schema of strata.yaml for editors: accepts the human forms (`250ms`, `64MB`, `50/s`) and `${VAR}` anywhere. */
export function toJsonSchema(): Json {
  const z = zodModule();
  const schema = z.toJSONSchema(fileSchema(), {
    io: 'input',
    target: 'draft-07',
    unrepresentable: 'any',
    override: (ctx) => {
      const json = ctx.jsonSchema as Json;
      const form = jsonForms.get(ctx.zodSchema);
      if (form) {
        Object.assign(json, form);
        return;
      }
      if (!acceptsEnvRef(json)) return;
      const { description, ...rest } = json;
      for (const key of Object.keys(json)) delete json[key];
      if (description !== undefined) json.description = description;
      json.anyOf = [rest, ENV_REF_JSON];
    },
  }) as Json;
  return {
    $schema: schema.$schema,
    $id: 'https://strata.dev/strata.schema.json',
    title: 'strata.yaml',
    description:
      'Strata configuration: sampling, layers, exporters and instrumentations. See DESIGN.md.',
    ...schema,
  };
}
