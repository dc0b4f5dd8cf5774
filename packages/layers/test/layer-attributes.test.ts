import { describe, expect, it } from 'vitest';
import { layerAttributes, layerMilliseconds } from '../src/index';

describe('layerAttributes', () => {
  it('gives one strata.layer.<layer>.ms per layer, summed over systems', () => {
    const attributes = layerAttributes({
      total: 61_500_001,
      entries: [
        { layer: 'app', system: 'http', wall: 1_500_001, work: 1_500_001 },
        { layer: 'db', system: 'postgresql', wall: 50_000_000, work: 50_000_000 },
        { layer: 'http', system: 'a', wall: 4_000_000, work: 8_000_000 },
        { layer: 'http', system: 'b', wall: 6_000_000, work: 8_000_000 },
      ],
    });
    expect(attributes).toEqual({
      'strata.layer.app.ms': 1.500001,
      'strata.layer.db.ms': 50,
      'strata.layer.http.ms': 10,
    });
  });

  it('includes layers present with zero time', () => {
    expect(
      layerAttributes({ total: 0, entries: [{ layer: 'app', system: 'x', wall: 0, work: 0 }] }),
    ).toEqual({
      'strata.layer.app.ms': 0,
    });
  });
});

describe('layerMilliseconds', () => {
  it('gives each layer its milliseconds, keyed by layer name', () => {
    expect(
      layerMilliseconds({
        total: 11_000_001,
        entries: [
          { layer: 'cache', system: 'redis', wall: 250_001, work: 250_001 },
          { layer: 'db', system: 'mysql', wall: 750_000, work: 750_000 },
          { layer: 'db', system: 'postgresql', wall: 10_000_000, work: 10_000_000 },
        ],
      }),
    ).toEqual({ cache: 0.250001, db: 10.75 });
  });

  it('adds up a layer whose entries are not next to each other', () => {
    expect(
      layerMilliseconds({
        total: 3_000_000,
        entries: [
          { layer: 'db', system: 'a', wall: 1_000_000, work: 0 },
          { layer: 'app', system: 'x', wall: 1_000_000, work: 0 },
          { layer: 'db', system: 'b', wall: 1_000_000, work: 0 },
        ],
      }),
    ).toEqual({ db: 2, app: 1 });
  });
});
