import {
  CACHE_SYSTEMS,
  DB_SYSTEM_KEYS,
  FRAMEWORK_TYPE_KEYS,
  PEER_KEYS,
  type ScopeLayer,
} from './known-systems';
import type { LayerClass, LayerSpan } from './types';

/** The layers the built-in inference produces, in precedence order (user rules may add others). */
export const BUILTIN_LAYERS = [
  'cache',
  'db',
  'messaging',
  'rpc',
  'http',
  'dns',
  'net',
  'fs',
  'graphql',
  'framework',
  'app',
] as const;

const SERVER = 1;
const CLIENT = 2;
const CONSUMER = 4;

/** What the classifier knows about a scope, computed once per scope name. */
export interface ScopeInfo {
  readonly short: string;
  readonly known: readonly [ScopeLayer, string] | undefined;
}

/** Returns the one shared object for a (layer, system) pair. */
export type Intern = (layer: string, system: string) => LayerClass;

function str(attributes: LayerSpan['attributes'], key: string): string | undefined {
  const value = attributes[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function firstOf(attributes: LayerSpan['attributes'], keys: readonly string[]): string | undefined {
  for (let i = 0; i < keys.length; i++) {
    const value = str(attributes, keys[i]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Built-in layer inference (DESIGN.md precedence below `strata.layer`), from attributes, kind and scope. */
export function inferLayer(span: LayerSpan, scope: ScopeInfo, intern: Intern): LayerClass {
  const a = span.attributes;
  const kind = span.kind;
  // SERVER and CONSUMER spans are incoming work: their own time is the application's handler
  // code (the root's own time is `app`), named by the protocol that brought it in.
  if (kind === SERVER || kind === CONSUMER) {
    return intern('app', str(a, 'rpc.system') ?? str(a, 'messaging.system') ?? scope.short);
  }
  const db = firstOf(a, DB_SYSTEM_KEYS);
  if (db !== undefined) return intern(CACHE_SYSTEMS.has(db) ? 'cache' : 'db', db);
  const messaging = str(a, 'messaging.system');
  if (messaging !== undefined) return intern('messaging', messaging);
  const rpc = str(a, 'rpc.system');
  if (rpc !== undefined) return intern('rpc', rpc);
  const known = scope.known;
  // dns.lookup spans are CLIENT spans: the scope must win over the generic CLIENT → http rule.
  if (known !== undefined && (known[0] === 'dns' || known[0] === 'net' || known[0] === 'fs')) {
    return intern(known[0], known[1]);
  }
  if (kind === CLIENT) return intern('http', firstOf(a, PEER_KEYS) ?? 'unknown');
  if (known !== undefined) return intern(known[0], known[1]);
  if (span.name.startsWith('graphql.')) return intern('graphql', 'graphql');
  for (let i = 0; i < FRAMEWORK_TYPE_KEYS.length; i++) {
    const [key, system] = FRAMEWORK_TYPE_KEYS[i];
    if (a[key] !== undefined) return intern('framework', system);
  }
  return intern('app', scope.short);
}
