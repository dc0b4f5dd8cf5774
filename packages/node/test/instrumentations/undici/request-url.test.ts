import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestUrl } from '../../../src/instrumentations/undici/request-url';

/** What the stock instrumentation computes, through a URL object (no span for an invalid URL). */
function throughUrl(origin: string, path: string) {
  let url: URL;
  try {
    url = new URL(path, origin);
  } catch {
    return undefined;
  }
  const scheme = url.protocol.replace(':', '');
  const port = url.port || ({ http: '80', https: '443' } as Record<string, string>)[scheme];
  return {
    full: url.toString(),
    path: url.pathname,
    query: url.search,
    scheme,
    host: url.hostname,
    port: port && !Number.isNaN(Number(port)) ? Number(port) : undefined,
  };
}

const ORIGINS = [
  'http://127.0.0.1:3001',
  'http://localhost',
  'https://api.example.test',
  'https://api.example.test:8443',
  'http://[::1]:8080',
];

describe('requestUrl', () => {
  it.each([
    ['/price/7', 'a plain path'],
    ['/search?q=shoes&page=2', 'a query'],
    ['/search?', 'a lone ?'],
    ['/', 'the root'],
    ['/p/%C3%A4%20x', 'percent-encoding, kept as is'],
    ['/p/ä ö', 'non-ASCII and a space, which URL escapes'],
    ["/it's?q='x'", 'a quote, escaped in the query only'],
    ['/a/../b/./c', 'dot segments, which URL removes'],
    ['/.well-known/openid', 'a dot after a slash that is no dot segment'],
    ['//other.test/x', 'two slashes, which name a host'],
    ['/a\\b', 'a backslash, a slash for URL'],
    ['/a#frag', 'a fragment'],
    ['/q?next=/a/../b', 'a dot segment in the query, kept'],
    ['/{x}|[y]^`', 'characters URL escapes in paths'],
  ])('reads %s (%s) as URL does', (path) => {
    for (const origin of ORIGINS)
      expect(requestUrl(origin, path)).toEqual(throughUrl(origin, path));
  });

  it('agrees with URL on any path of printable characters', () => {
    const chars = fc.constantFrom(...'abz09-._~!$&\'()*+,;=:@%/?#[]{}|\\^` "<>äé€'.split(''));
    fc.assert(
      fc.property(
        fc.constantFrom(...ORIGINS),
        fc.string({ unit: chars, maxLength: 24 }),
        (origin, tail) => {
          const path = `/${tail}`;
          expect(requestUrl(origin, path)).toEqual(throughUrl(origin, path));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('returns undefined for an origin that is no URL', () => {
    expect(requestUrl('not a url', '/x')).toBeUndefined();
  });
});
