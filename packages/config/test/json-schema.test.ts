// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toJsonSchema } from '../src/index';

const committed = join(__dirname, '..', 'strata.schema.json');
const fixture = (name: string) => parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(toJsonSchema());

describe('toJsonSchema', () => {
  it('matches the committed strata.schema.json (run `npm run schema` when this fails)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(`${JSON.stringify(toJsonSchema(), null, 2)}\n`);
  });

  it.each(['valid-design-example.yaml', 'valid-every-key.yaml'])(
    'accepts %s as an editor would see it (human forms and ${VAR} unsubstituted)',
    (name) => {
      expect(validate(fixture(name)), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it.each([
    ['an unknown key', { sampling: { slwo: {} } }],
    ['a baseline above 1', { sampling: { baseline: 1.5 } }],
    ['a duration without a unit the schema knows', { sampling: { buffer: { grace: '10 sec' } } }],
    ['grpc', { exporters: { otlp: { protocol: 'grpc' } } }],
    ['an unknown instrumentation', { instrumentations: { disabled: ['pgg'] } }],
  ])('flags %s', (_name, data) => {
    expect(validate(data)).toBe(false);
  });

  it('describes fields so editors show help', () => {
    const schema = toJsonSchema() as {
      properties: { sampling: { properties: { baseline: { description: string } } } };
    };
    expect(schema.properties.sampling.properties.baseline.description).toBe(
      'Probability of the consistent head sample. Default 0.1.',
    );
  });
});
