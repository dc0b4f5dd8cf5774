import { describe, expect, it } from 'vitest';
import {
  COSTLY_SCAVENGE_SHARE,
  hasOwnYoungGenerationFlags,
  scavengesCostly,
} from '../../src/runtime/young-generation';

describe('hasOwnYoungGenerationFlags', () => {
  it.each([
    [['--max-semi-space-size=8'], undefined],
    [['--max_semi_space_size', '8'], undefined],
    [[], '--require x --min-semi-space-size=4'],
    [[], '--semi-space-growth-factor=1'],
    [['--optimize-for-size'], ''],
  ])('sees the flags in %j / NODE_OPTIONS %j', (argv, nodeOptions) => {
    expect(hasOwnYoungGenerationFlags(argv, nodeOptions)).toBe(true);
  });

  it.each([
    [[], undefined],
    [['--max-old-space-size=512', '--require', '@strata/node/register'], '--enable-source-maps'],
    [['--title=max-semi-space-size'], undefined],
  ])('does not see them in %j / NODE_OPTIONS %j', (argv, nodeOptions) => {
    expect(hasOwnYoungGenerationFlags(argv, nodeOptions)).toBe(false);
  });
});

describe('scavengesCostly', () => {
  const window = { scavengeMs: 200, count: 20, windowMs: 3000 };

  it('holds past the share of the window, with scavenges of at least 3 ms each', () => {
    expect(scavengesCostly(window)).toBe(true);
    expect(scavengesCostly({ ...window, scavengeMs: COSTLY_SCAVENGE_SHARE * 3000 })).toBe(false);
    expect(scavengesCostly({ ...window, scavengeMs: COSTLY_SCAVENGE_SHARE * 3000 + 1 })).toBe(true);
  });

  it('does not hold for many short scavenges: the spans of requests in flight', () => {
    // An Express hello at saturation: about 4% of the time, 0.7 ms each.
    expect(scavengesCostly({ scavengeMs: 120, count: 170, windowMs: 3000 })).toBe(false);
    // More than 6% of the time, still short each.
    expect(scavengesCostly({ scavengeMs: 240, count: 81, windowMs: 3000 })).toBe(false);
    expect(scavengesCostly({ scavengeMs: 240, count: 80, windowMs: 3000 })).toBe(true);
  });

  it('never holds for an empty window', () => {
    expect(scavengesCostly({ ...window, windowMs: 0 })).toBe(false);
    expect(scavengesCostly({ ...window, windowMs: -1 })).toBe(false);
    expect(scavengesCostly({ ...window, count: 0 })).toBe(false);
  });
});
