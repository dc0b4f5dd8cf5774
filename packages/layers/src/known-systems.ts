// Attribute keys and instrumentation scope names the built-in inference reads. Both the stable
// semantic-convention names and the older ones current instrumentations still emit by default.

/** `db.system.name` (stable) first, then `db.system` (older). */
export const DB_SYSTEM_KEYS = ['db.system.name', 'db.system'] as const;

/** Database systems that are caches: their spans go to the `cache` layer. */
export const CACHE_SYSTEMS: ReadonlySet<string> = new Set([
  'redis',
  'memcached',
  'valkey',
  'hazelcast',
  'coherence',
]);

/** Where an outbound call's peer is named, most specific first. */
export const PEER_KEYS = [
  'peer.service',
  'server.address',
  'net.peer.name',
  'http.host',
  'network.peer.address',
  'net.peer.ip',
] as const;

/** `<framework>.type` attributes that framework instrumentations set on middleware/handler spans. */
export const FRAMEWORK_TYPE_KEYS: ReadonlyArray<readonly [key: string, system: string]> = [
  ['express.type', 'express'],
  ['fastify.type', 'fastify'],
  ['koa.type', 'koa'],
  ['hapi.type', 'hapi'],
  ['restify.type', 'restify'],
  ['connect.type', 'connect'],
  ['nestjs.type', 'nestjs'],
  ['router.type', 'router'],
];

/** What an instrumentation scope alone says about its spans. */
export type ScopeLayer = 'dns' | 'net' | 'fs' | 'graphql' | 'framework';

const OTEL = '@opentelemetry/instrumentation-';

/** Built-in scopes: layer and system. */
export const KNOWN_SCOPES: ReadonlyMap<string, readonly [ScopeLayer, string]> = new Map([
  [`${OTEL}dns`, ['dns', 'dns']],
  [`${OTEL}net`, ['net', 'net']],
  [`${OTEL}fs`, ['fs', 'fs']],
  [`${OTEL}graphql`, ['graphql', 'graphql']],
  [`${OTEL}express`, ['framework', 'express']],
  [`${OTEL}fastify`, ['framework', 'fastify']],
  ['@fastify/otel', ['framework', 'fastify']],
  [`${OTEL}koa`, ['framework', 'koa']],
  [`${OTEL}hapi`, ['framework', 'hapi']],
  [`${OTEL}restify`, ['framework', 'restify']],
  [`${OTEL}connect`, ['framework', 'connect']],
  [`${OTEL}nestjs-core`, ['framework', 'nestjs']],
  [`${OTEL}router`, ['framework', 'router']],
]);

/** Short name of a scope for `layer.system`: `@opentelemetry/instrumentation-http` → `http`. */
export function shortScopeName(scope: string): string {
  if (scope.startsWith(OTEL)) return scope.slice(OTEL.length);
  return scope === '' ? 'unknown' : scope;
}
