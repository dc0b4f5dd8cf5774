import { describe, expect, it } from 'vitest';
import { createClientLabelSets } from '../../../src/instrumentations/undici/duration-attributes';

const labels = {
  method: 'GET',
  scheme: 'http',
  host: '127.0.0.1',
  port: 3001 as number | undefined,
  status: 200 as number | undefined,
  protocol: '1.1' as string | undefined,
  errorType: undefined as string | undefined,
};

describe('createClientLabelSets', () => {
  it('returns one frozen object per label set, with the stock keys in their order', () => {
    const labelSet = createClientLabelSets();
    const first = labelSet({ ...labels });
    expect(labelSet({ ...labels })).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.entries(first)).toEqual([
      ['http.response.status_code', 200],
      ['http.request.method', 'GET'],
      ['server.address', '127.0.0.1'],
      ['server.port', 3001],
      ['url.scheme', 'http'],
      ['network.protocol.version', '1.1'],
    ]);
  });

  it('tells label sets apart by every label, and leaves absent ones out', () => {
    const labelSet = createClientLabelSets();
    const base = labelSet({ ...labels });
    const failed = labelSet({
      ...labels,
      status: undefined,
      protocol: undefined,
      errorType: 'ECONNREFUSED',
    });
    expect(failed).not.toBe(base);
    expect(failed).toEqual({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': 3001,
      'url.scheme': 'http',
      'error.type': 'ECONNREFUSED',
    });
    expect(labelSet({ ...labels, port: 3002 })).not.toBe(base);
    expect(labelSet({ ...labels, method: 'POST' })).not.toBe(base);
    expect(labelSet({ ...labels, status: 404, errorType: '404' })).not.toBe(base);
  });

  it('tells a label set from the one just before it by any single label', () => {
    const labelSet = createClientLabelSets();
    const variants: Partial<typeof labels>[] = [
      { method: 'POST' },
      { scheme: 'https' },
      { host: '127.0.0.2' },
      { port: 3002 },
      { status: 503 },
      { protocol: '2' },
      { errorType: 'ECONNRESET' },
    ];
    for (const change of variants) {
      const base = labelSet({ ...labels });
      const changed = labelSet({ ...labels, ...change });
      expect(changed).not.toBe(base);
      expect(changed).toEqual(labelSet({ ...labels, ...change }));
      expect(labelSet({ ...labels })).toBe(base);
    }
  });

  it('keeps only the labels of a record, not the rest of it', () => {
    const labelSet = createClientLabelSets();
    const record = { ...labels, span: { name: 'GET' } };
    const first = labelSet(record);
    expect(Object.values(first)).not.toContain(record.span);
    record.status = 500;
    // The same record object, changed: a new label set, not the one remembered for it.
    expect(labelSet(record)['http.response.status_code']).toBe(500);
  });

  it('keeps at most 2,000 sets and still answers past them', () => {
    const labelSet = createClientLabelSets();
    for (let port = 1; port <= 2000; port++) labelSet({ ...labels, port });
    const past = labelSet({ ...labels, port: 9999 });
    expect(past['server.port']).toBe(9999);
    labelSet({ ...labels, port: 7 });
    // Not kept: once another set came between, a new object, which the histogram counts as overflow.
    expect(labelSet({ ...labels, port: 9999 })).not.toBe(past);
    expect(labelSet({ ...labels, port: 7 })).toBe(labelSet({ ...labels, port: 7 }));
  });
});
