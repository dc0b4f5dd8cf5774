import { describe, expect, it } from 'vitest';
import { hasOwnYoungGenerationFlags } from '../../src/runtime/young-generation';

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
