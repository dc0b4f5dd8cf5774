/** Instrumentations Strata knows, by the name strata.yaml uses for them. */
export const INSTRUMENTATION_NAMES = [
  'http',
  'undici',
  'express',
  'fastify',
  'koa',
  'pg',
  'mysql2',
  'ioredis',
  'redis',
  'mongodb',
  'amqplib',
  'kafkajs',
  'graphql',
  'grpc',
  'fs',
  'dns',
  'net',
  'runtime',
] as const;

/** Instrumentations that are off unless `instrumentations.enabled` names them (noisy, rarely useful). */
export const DEFAULT_DISABLED_INSTRUMENTATIONS: readonly string[] = ['fs', 'dns', 'net'];

/** Built-in layer names (DESIGN.md, Layers); rules may also name custom layers. */
export const LAYER_NAMES = [
  'app',
  'framework',
  'db',
  'cache',
  'messaging',
  'rpc',
  'http',
  'dns',
  'net',
  'fs',
  'graphql',
] as const;

/** What a custom layer name must look like: it becomes a metric label and an attribute key part. */
export const CUSTOM_LAYER_PATTERN = /^[a-z][a-z0-9_]*$/;

/** Log levels of `log_level` / `OTEL_LOG_LEVEL`. */
export const LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;
