import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { StrataConfig } from '@strata/config';
import type { KeepSignals } from '../pipeline/keep-signals';
import { serverTimingFrom } from '../pipeline/keep-signals';
import { createHttpClientConfig, createIgnoreIncoming } from './http-options';

/** What Strata needs to know to load one instrumentation lazily. */
export interface CatalogEntry {
  /** The name used in strata.yaml (`instrumentations.disabled`). */
  name: string;
  /** Modules the instrumentation patches; it is loaded when the application can load any of them. */
  modules: readonly string[];
  /** Off unless listed in `instrumentations.enabled` (costly or noisy). */
  offByDefault?: boolean;
  create(
    config: StrataConfig,
    context: InstrumentationContext,
  ): Instrumentation | Instrumentation[];
}

/** What instrumentation options may depend on at start-up. */
export interface InstrumentationContext {
  /** Incoming requests on these servers are Strata's own (the Prometheus endpoint). */
  isOwnServer(server: unknown): boolean;
  /** Cross-service keep signals (Server-Timing in, tracestate out). */
  keepSignals: KeepSignals;
  /** `http.server.request.duration`, aggregated in place (see metrics/histogram-cells.ts). */
  serverDurationHistogram?: import('@opentelemetry/api').Histogram;
  /** `http.client.request.duration` of fetch/undici, aggregated in place likewise. */
  clientDurationHistogram?: import('@opentelemetry/api').Histogram;
}

// `require` inside each factory: an instrumentation package is only read
// from disk when the application can use it (the stock register pays ~0.5 s
// importing all of them).
/* eslint-disable @typescript-eslint/no-require-imports */
export const CATALOG: readonly CatalogEntry[] = [
  {
    name: 'http',
    modules: ['http', 'https'],
    create: (config, ctx) => {
      const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
      const {
        createHttpServerInstrumentation,
      } = require('./http-server/create-http-server-instrumentation');
      return [
        createHttpServerInstrumentation({
          ignoreIncomingRequest: createIgnoreIncoming(config, ctx),
          onServerSpan: (
            span: import('@opentelemetry/api').Span,
            response: import('node:http').ServerResponse,
          ) => ctx.keepSignals.onServerResponse(span, response),
          durationHistogram: ctx.serverDurationHistogram,
        }),
        new HttpInstrumentation(createHttpClientConfig(ctx)),
      ];
    },
  },
  {
    name: 'undici',
    // Global fetch is undici inside Node: always available.
    modules: ['http'],
    create: (_config, ctx) =>
      require('./undici/create-undici-instrumentation').createUndiciInstrumentation({
        onResponse(span: import('@opentelemetry/api').Span, response: { headers: unknown }) {
          ctx.keepSignals.onClientResponse(span, serverTimingFrom(response.headers));
        },
        durationHistogram: ctx.clientDurationHistogram,
      }),
  },
  {
    name: 'express',
    modules: ['express'],
    create: () =>
      require('./express/create-express-instrumentation').createExpressInstrumentation(),
  },
  {
    name: 'fastify',
    modules: ['fastify'],
    create: () => new (require('@opentelemetry/instrumentation-fastify').FastifyInstrumentation)(),
  },
  {
    name: 'koa',
    modules: ['koa'],
    create: () => new (require('@opentelemetry/instrumentation-koa').KoaInstrumentation)(),
  },
  {
    name: 'pg',
    modules: ['pg'],
    create: () =>
      new (require('@opentelemetry/instrumentation-pg').PgInstrumentation)({
        requireParentSpan: true,
      }),
  },
  {
    name: 'mysql2',
    modules: ['mysql2'],
    // Values bound into statements stay out of spans.
    create: () =>
      new (require('@opentelemetry/instrumentation-mysql2').MySQL2Instrumentation)({
        maskStatement: true,
      }),
  },
  {
    name: 'ioredis',
    modules: ['ioredis'],
    create: () =>
      new (require('@opentelemetry/instrumentation-ioredis').IORedisInstrumentation)({
        requireParentSpan: true,
      }),
  },
  {
    name: 'redis',
    modules: ['redis', '@redis/client'],
    create: () =>
      new (require('@opentelemetry/instrumentation-redis').RedisInstrumentation)({
        requireParentSpan: true,
      }),
  },
  {
    name: 'mongodb',
    modules: ['mongodb'],
    create: () =>
      new (require('@opentelemetry/instrumentation-mongodb').MongoDBInstrumentation)({
        requireParentSpan: true,
      }),
  },
  {
    name: 'amqplib',
    modules: ['amqplib'],
    create: () => new (require('@opentelemetry/instrumentation-amqplib').AmqplibInstrumentation)(),
  },
  {
    name: 'kafkajs',
    modules: ['kafkajs'],
    create: () => new (require('@opentelemetry/instrumentation-kafkajs').KafkaJsInstrumentation)(),
  },
  {
    name: 'graphql',
    modules: ['graphql'],
    create: () =>
      new (require('@opentelemetry/instrumentation-graphql').GraphQLInstrumentation)({
        ignoreTrivialResolveSpans: true,
      }),
  },
  {
    name: 'grpc',
    modules: ['@grpc/grpc-js'],
    create: () => new (require('@opentelemetry/instrumentation-grpc').GrpcInstrumentation)(),
  },
  {
    name: 'fs',
    modules: ['fs'],
    offByDefault: true,
    create: () =>
      new (require('@opentelemetry/instrumentation-fs').FsInstrumentation)({
        requireParentSpan: true,
      }),
  },
  {
    name: 'dns',
    modules: ['dns'],
    offByDefault: true,
    create: () => new (require('@opentelemetry/instrumentation-dns').DnsInstrumentation)(),
  },
  {
    name: 'net',
    modules: ['net'],
    offByDefault: true,
    create: () => new (require('@opentelemetry/instrumentation-net').NetInstrumentation)(),
  },
  {
    name: 'runtime',
    modules: ['v8'],
    create: () =>
      new (require('@opentelemetry/instrumentation-runtime-node').RuntimeNodeInstrumentation)({
        monitoringPrecision: 5000,
      }),
  },
];
