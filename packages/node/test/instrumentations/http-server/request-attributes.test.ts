import { describe, expect, it } from 'vitest';
import { forwardedValue, stripPort } from '../../../src/instrumentations/http-server/forwarded';
import { parseHost } from '../../../src/instrumentations/http-server/host-header';
import { normalizeMethod } from '../../../src/instrumentations/http-server/normalize-method';

// The pure helpers behind requestAttributes; the attributes on a real request
// are checked in create-http-server-instrumentation.test.ts.
describe('normalizeMethod', () => {
  it.each([
    ['GET', 'GET'],
    ['get', 'GET'],
    ['QUERY', 'QUERY'],
    ['PROPFIND', '_OTHER'],
    [undefined, 'GET'],
  ])('%s → %s', (method, expected) => {
    expect(normalizeMethod(method)).toBe(expected);
  });
});

describe('parseHost', () => {
  it.each([
    ['example.test:8080', 'http', { address: 'example.test', port: 8080 }],
    ['example.test', 'http', { address: 'example.test', port: 80 }],
    ['example.test', 'https', { address: 'example.test', port: 443 }],
    ['example.test', undefined, { address: 'example.test', port: undefined }],
    ['[::1]:3000', 'http', { address: '[::1]', port: 3000 }],
    ['[::1]', 'https', { address: '[::1]', port: 443 }],
  ])('%s (%s)', (host, scheme, expected) => {
    expect(parseHost(host, scheme)).toEqual(expected);
  });

  it('answers each host and scheme for itself when they alternate (the last one is reused)', () => {
    for (let i = 0; i < 3; i++) {
      expect(parseHost('a.test:81', 'http')).toEqual({ address: 'a.test', port: 81 });
      expect(parseHost('a.test', 'http')).toEqual({ address: 'a.test', port: 80 });
      expect(parseHost('a.test', 'https')).toEqual({ address: 'a.test', port: 443 });
      expect(parseHost('a.test', 'https')).toEqual({ address: 'a.test', port: 443 });
    }
  });
});

describe('forwardedValue', () => {
  const header =
    'for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8::1]:4711";host=shop.test';
  it('returns the first entry carrying the key', () => {
    expect(forwardedValue(header, 'for')).toBe('192.0.2.60');
    expect(forwardedValue(header, 'host')).toBe('shop.test');
    expect(forwardedValue(header, 'proto')).toBe('http');
    expect(forwardedValue('by=x', 'for')).toBeUndefined();
  });
});

describe('stripPort', () => {
  it.each([
    ['[2001:db8::1]:4711', '2001:db8::1'],
    ['10.0.0.1:80', '10.0.0.1'],
    ['10.0.0.1', '10.0.0.1'],
    ['2001:db8::1', '2001:db8::1'],
  ])('%s → %s', (input, expected) => {
    expect(stripPort(input)).toBe(expected);
  });
});
