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
  it('is true only past the share of the window', () => {
    expect(scavengesCostly(180, 3000, 0.06)).toBe(false);
    expect(scavengesCostly(181, 3000, 0.06)).toBe(true);
    expect(scavengesCostly(10, 3000)).toBe(false);
    expect(scavengesCostly(3000 * COSTLY_SCAVENGE_SHARE + 1, 3000)).toBe(true);
  });

  it('never holds for an empty window', () => {
    expect(scavengesCostly(5, 0)).toBe(false);
    expect(scavengesCostly(5, -1)).toBe(false);
  });
});
