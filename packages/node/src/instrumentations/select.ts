import type { StrataConfig } from '@strata/config';
import type { CatalogEntry } from './catalog';
import { canLoadModule } from './find-module';

/**
 * The catalog entries to load: not disabled in strata.yaml (fs, dns and net
 * are off unless enabled) and patching a module the application can load.
 */
export function selectInstrumentations(
  catalog: readonly CatalogEntry[],
  config: StrataConfig,
  appDirs: readonly string[],
): CatalogEntry[] {
  const { disabled, enabled } = config.instrumentations;
  return catalog.filter((entry) => {
    if (disabled.includes(entry.name) && !enabled.includes(entry.name)) return false;
    if (entry.offByDefault && !enabled.includes(entry.name)) return false;
    return entry.modules.some((name) => canLoadModule(name, appDirs));
  });
}
