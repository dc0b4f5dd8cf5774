import { describe, expect, it } from 'vitest';
import {
  createQueryRedactor,
  DEFAULT_REDACTED_QUERY_PARAMS,
  splitUrl,
} from '../../../src/instrumentations/http-server/url-parts';

describe('splitUrl', () => {
  it.each([
    ['/a/b', '/a/b', undefined],
    ['/a?x=1&y=2', '/a', 'x=1&y=2'],
    ['/a?', '/a', undefined],
    ['/a?x=1#frag', '/a', 'x=1'],
    ['', '/', undefined],
    ['http://proxy.test/p/q?z=9', '/p/q', 'z=9'],
  ])('%s → path %s, query %s', (url, path, query) => {
    expect(splitUrl(url)).toEqual({ path, query });
  });
});

describe('createQueryRedactor', () => {
  const redact = createQueryRedactor(DEFAULT_REDACTED_QUERY_PARAMS);

  it.each([
    ['page=2', 'page=2'],
    ['sig=abc&page=2', 'sig=REDACTED&page=2'],
    [
      'page=2&X-Amz-Signature=s3cr3t&X-Amz-Credential=c',
      'page=2&X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED',
    ],
    ['signature=keep&asig=keep', 'signature=keep&asig=keep'],
    ['sig', 'sig=REDACTED'],
  ])('%s → %s', (query, expected) => {
    expect(redact(query)).toBe(expected);
  });

  it('keeps everything when the list is empty', () => {
    expect(createQueryRedactor([])('sig=abc')).toBe('sig=abc');
  });
});
