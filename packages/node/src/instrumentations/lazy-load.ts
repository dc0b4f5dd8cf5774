import Module, { builtinModules } from 'node:module';
import type { CatalogEntry } from './catalog';

const BUILTINS = new Set(builtinModules);

/** Whether an entry patches only Node builtins (those are always loaded: no point deferring). */
export function patchesBuiltinsOnly(entry: CatalogEntry): boolean {
  return entry.modules.every((name) => BUILTINS.has(name) || name.startsWith('node:'));
}

/**
 * Defer each instrumentation until the application first requires one of
 * the modules it patches: a package installed but never used (a transitive
 * dependency, a dev tool) then costs nothing at start-up, where creating its
 * instrumentation costs 10–30 ms. On that first `require`, the instrumentation
 * is created and enabled (it adds its require hook), and the `require` is
 * dispatched again from the top so that hook patches the module as it loads.
 * CommonJS only: ES module imports go through the loader hooks instead.
 */
export function deferUntilRequired(
  entries: readonly CatalogEntry[],
  activate: (entry: CatalogEntry) => void,
): () => void {
  const pending = new Map<string, CatalogEntry>();
  for (const entry of entries) for (const name of entry.modules) pending.set(name, entry);
  // Activate whatever is still deferred (ES module loading was turned on late).
  const activateAll = () => {
    const rest = new Set(pending.values());
    pending.clear();
    for (const entry of rest) {
      try {
        activate(entry);
      } catch {
        // As below: the application runs on without this instrumentation.
      }
    }
  };
  if (pending.size === 0) return activateAll;
  const proto = Module.prototype as unknown as { require: (this: unknown, id: string) => unknown };
  const original = proto.require;
  proto.require = function require(this: unknown, id: string) {
    if (pending.size > 0 && typeof id === 'string') {
      const entry = pending.get(packageName(id));
      if (entry !== undefined) {
        for (const name of entry.modules) pending.delete(name);
        try {
          activate(entry);
        } catch {
          // The application loads its module uninstrumented rather than failing.
        }
        return proto.require.call(this, id);
      }
    }
    // biome-ignore lint/complexity/noArguments: pass the call through exactly as made
    return original.apply(this, arguments as unknown as [string]);
  };
  return activateAll;
}

/** `pg` → `pg`, `pg/lib/client` → `pg`, `@grpc/grpc-js/build/x` → `@grpc/grpc-js`; relative ids → ''. */
export function packageName(id: string): string {
  const first = id.charCodeAt(0);
  if (first === 46 /* . */ || first === 47 /* / */) return '';
  const slash = id.indexOf('/');
  if (slash === -1) return id;
  if (first !== 64 /* @ */) return id.slice(0, slash);
  const second = id.indexOf('/', slash + 1);
  return second === -1 ? id : id.slice(0, second);
}
