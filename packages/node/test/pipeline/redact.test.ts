import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { redactQuery, redactSpans, redactSql } from '../../src/pipeline/redact';

describe('redactSql', () => {
  it.each([
    [
      "SELECT * FROM users WHERE email = 'a@b.c' AND age > 42",
      'SELECT * FROM users WHERE email = ? AND age > ?',
    ],
    ["INSERT INTO t (a, b) VALUES ('it''s', -3.5e2)", 'INSERT INTO t (a, b) VALUES (?, ?)'],
    ['SELECT $1::int AS id FROM t1 WHERE c2 = $2', 'SELECT $1::int AS id FROM t1 WHERE c2 = $2'],
    ["SELECT E'\\\\x00' FROM s.t LIMIT 10", 'SELECT ? FROM s.t LIMIT ?'],
    ['SELECT pg_sleep(0.05)', 'SELECT pg_sleep(?)'],
  ])('%s', (input, expected) => {
    expect(redactSql(input)).toBe(expected);
  });
});

describe('redactQuery', () => {
  it.each([
    [
      'https://api.example/v1?api_key=s3cr3t&page=2',
      'https://api.example/v1?api_key=REDACTED&page=2',
    ],
    ['/login?next=/home&Token=abc#frag', '/login?next=/home&Token=REDACTED#frag'],
    ['access_token=x&q=shoes', 'access_token=REDACTED&q=shoes'],
    ['https://example/path', 'https://example/path'],
    ['q=a%3Db&password=hunter2', 'q=a%3Db&password=REDACTED'],
  ])('%s', (input, expected) => {
    expect(redactQuery(input)).toBe(expected);
  });
});

describe('redactSpans', () => {
  it('scrubs SQL text of SQL systems and URL attributes, and leaves other spans alone', () => {
    const span = (attributes: Record<string, unknown>) =>
      ({ attributes }) as unknown as ReadableSpan;
    const pg = span({
      'db.system.name': 'postgresql',
      'db.query.text': "SELECT * FROM t WHERE a = 'x'",
    });
    const redis = span({ 'db.system.name': 'redis', 'db.statement': 'GET user:42' });
    const client = span({ 'url.full': 'http://pay/charge?card=1&secret=abc' });
    redactSpans([pg, redis, client]);
    expect(pg.attributes['db.query.text']).toBe('SELECT * FROM t WHERE a = ?');
    expect(redis.attributes['db.statement']).toBe('GET user:42');
    expect(client.attributes['url.full']).toBe('http://pay/charge?card=1&secret=REDACTED');
  });
});
