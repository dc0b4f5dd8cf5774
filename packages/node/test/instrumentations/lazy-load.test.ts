import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../src/instrumentations/catalog';
import {
  deferUntilRequired,
  packageName,
  patchesBuiltinsOnly,
} from '../../src/instrumentations/lazy-load';

describe('packageName', () => {
  it.each([
    ['pg', 'pg'],
    ['pg/lib/client', 'pg'],
    ['@grpc/grpc-js', '@grpc/grpc-js'],
    ['@grpc/grpc-js/build/src/index.js', '@grpc/grpc-js'],
    ['@scope', '@scope'],
    ['./local', ''],
    ['/abs/path.js', ''],
  ])('%s → %s', (id, name) => {
    expect(packageName(id)).toBe(name);
  });
});

describe('patchesBuiltinsOnly', () => {
  const entry = (modules: string[]) => ({ name: 'x', modules, create: () => [] }) as CatalogEntry;
  it('is true for http/https and node: ids, false when a package is involved', () => {
    expect(patchesBuiltinsOnly(entry(['http', 'https']))).toBe(true);
    expect(patchesBuiltinsOnly(entry(['node:v8']))).toBe(true);
    expect(patchesBuiltinsOnly(entry(['redis', '@redis/client']))).toBe(false);
  });
});

describe('deferUntilRequired', () => {
  it('activates an entry on the first require of one of its modules, once, before the module loads', () => {
    const require = createRequire(__filename);
    const activated: string[] = [];
    const entry = { name: 'yaml-test', modules: ['yaml'], create: () => [] } as CatalogEntry;
    deferUntilRequired([entry], (e) => activated.push(e.name));
    expect(activated).toEqual([]);
    require('node:path');
    expect(activated).toEqual([]);
    const yaml = require('yaml');
    expect(typeof yaml.parse).toBe('function');
    require('yaml');
    expect(activated).toEqual(['yaml-test']);
  });

  it('still loads the module when activation throws', () => {
    const require = createRequire(__filename);
    const entry = { name: 'boom', modules: ['fast-check'], create: () => [] } as CatalogEntry;
    deferUntilRequired([entry], () => {
      throw new Error('instrumentation failed');
    });
    expect(typeof require('fast-check').assert).toBe('function');
  });
});
