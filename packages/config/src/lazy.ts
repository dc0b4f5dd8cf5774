import type * as Yaml from 'yaml';
import type * as Zod from 'zod';

// `yaml` and `zod` cost tens of milliseconds to import. @strata/node loads this package at
// process start-up, and most services run without a strata.yaml, so both are required only
// when a file is actually parsed.
let yaml: typeof Yaml | undefined;
let zod: typeof Zod | undefined;

/** The `yaml` module, loaded on first use. */
export function yamlModule(): typeof Yaml {
  yaml ??= require('yaml') as typeof Yaml;
  return yaml;
}

/** The `zod` module, loaded on first use. */
export function zodModule(): typeof Zod {
  zod ??= require('zod') as typeof Zod;
  return zod;
}
