import { describe, expect, it } from 'vitest';
import { createLayerClassifier, type LayerRule, type LayerSpan } from '../src/index';

const INTERNAL = 0;
const SERVER = 1;
const CLIENT = 2;
const PRODUCER = 3;
const CONSUMER = 4;
const OTEL = '@opentelemetry/instrumentation-';

function s(
  scope: string,
  kind: number,
  name: string,
  attributes: Record<string, unknown> = {},
): LayerSpan {
  return { spanId: '1', parentSpanId: undefined, name, kind, scope, start: 0, end: 1, attributes };
}

// Attribute sets as current OpenTelemetry JS instrumentations emit them (older semantic
// conventions by default, stable ones with OTEL_SEMCONV_STABILITY_OPT_IN).
const cases: Array<[string, LayerSpan, string]> = [
  [
    'pg query (older)',
    s(`${OTEL}pg`, CLIENT, 'pg.query:SELECT test', {
      'db.system': 'postgresql',
      'db.name': 'test',
      'db.statement': 'SELECT 1',
      'db.user': 'postgres',
      'db.connection_string': 'postgresql://127.0.0.1:5432/test',
      'net.peer.name': '127.0.0.1',
      'net.peer.port': 5432,
    }),
    'db/postgresql',
  ],
  [
    'pg query (stable)',
    s(`${OTEL}pg`, CLIENT, 'SELECT test', {
      'db.system.name': 'postgresql',
      'db.namespace': 'test',
      'db.query.text': 'SELECT 1',
      'db.operation.name': 'SELECT',
      'server.address': '127.0.0.1',
      'server.port': 5432,
    }),
    'db/postgresql',
  ],
  [
    'pg-pool connect',
    s(`${OTEL}pg`, CLIENT, 'pg-pool.connect', {
      'db.system': 'postgresql',
      'db.name': 'test',
      'net.peer.name': '127.0.0.1',
      'net.peer.port': 5432,
    }),
    'db/postgresql',
  ],
  [
    'mysql2',
    s(`${OTEL}mysql2`, CLIENT, 'SELECT', {
      'db.system': 'mysql',
      'db.name': 'test',
      'db.user': 'root',
      'db.statement': 'SELECT 1',
      'net.peer.name': 'localhost',
      'net.peer.port': 3306,
    }),
    'db/mysql',
  ],
  [
    'stable name wins over older when both are present',
    s(`${OTEL}tedious`, CLIENT, 'execSql', {
      'db.system': 'mssql',
      'db.system.name': 'microsoft.sql_server',
    }),
    'db/microsoft.sql_server',
  ],
  [
    'ioredis (older)',
    s(`${OTEL}ioredis`, CLIENT, 'get', {
      'db.system': 'redis',
      'db.statement': 'get k',
      'net.peer.name': 'localhost',
      'net.peer.port': 6379,
      'db.connection_string': 'redis://localhost:6379',
    }),
    'cache/redis',
  ],
  [
    'ioredis (stable)',
    s(`${OTEL}ioredis`, CLIENT, 'get', {
      'db.system.name': 'redis',
      'db.query.text': 'get k',
      'server.address': 'localhost',
      'server.port': 6379,
    }),
    'cache/redis',
  ],
  [
    'redis (node-redis)',
    s(`${OTEL}redis`, CLIENT, 'GET', {
      'db.system': 'redis',
      'db.statement': 'GET',
      'net.peer.name': 'localhost',
      'net.peer.port': 6379,
    }),
    'cache/redis',
  ],
  [
    'memcached',
    s(`${OTEL}memcached`, CLIENT, 'memcached get', {
      'db.system': 'memcached',
      'db.operation': 'get',
      'net.peer.name': 'localhost',
    }),
    'cache/memcached',
  ],
  [
    'mongodb',
    s(`${OTEL}mongodb`, CLIENT, 'mongodb.find', {
      'db.system': 'mongodb',
      'db.name': 'shop',
      'db.mongodb.collection': 'users',
      'db.operation': 'find',
      'net.peer.name': 'localhost',
      'net.peer.port': 27017,
    }),
    'db/mongodb',
  ],
  [
    'undici fetch',
    s(`${OTEL}undici`, CLIENT, 'GET', {
      'http.request.method': 'GET',
      'url.full': 'http://api.example.com:8080/x',
      'url.path': '/x',
      'url.scheme': 'http',
      'server.address': 'api.example.com',
      'server.port': 8080,
      'user_agent.original': 'node',
      'http.response.status_code': 200,
    }),
    'http/api.example.com',
  ],
  [
    'http client (older)',
    s(`${OTEL}http`, CLIENT, 'GET', {
      'http.url': 'http://billing:3000/charge',
      'http.method': 'GET',
      'http.target': '/charge',
      'net.peer.name': 'billing',
      'net.peer.port': 3000,
      'http.host': 'billing:3000',
      'http.status_code': 200,
    }),
    'http/billing',
  ],
  [
    'http client with peer.service',
    s(`${OTEL}http`, CLIENT, 'POST', {
      'http.request.method': 'POST',
      'server.address': '10.0.0.4',
      'peer.service': 'billing',
    }),
    'http/billing',
  ],
  ['client span without a peer', s('my-sdk', CLIENT, 'call', {}), 'http/unknown'],
  [
    'http server (a local root)',
    s(`${OTEL}http`, SERVER, 'GET /users/:id', {
      'http.request.method': 'GET',
      'http.route': '/users/:id',
      'url.path': '/users/7',
      'server.address': 'localhost',
    }),
    'app/http',
  ],
  [
    'express middleware',
    s(`${OTEL}express`, INTERNAL, 'middleware - query', {
      'express.name': 'query',
      'express.type': 'middleware',
    }),
    'framework/express',
  ],
  [
    'express router',
    s(`${OTEL}express`, INTERNAL, 'router - /api', {
      'express.name': '/api',
      'express.type': 'router',
      'http.route': '/api',
    }),
    'framework/express',
  ],
  [
    'express request handler',
    s(`${OTEL}express`, INTERNAL, 'request handler - /users/:id', {
      'express.name': '/users/:id',
      'express.type': 'request_handler',
      'http.route': '/users/:id',
    }),
    'framework/express',
  ],
  [
    'express.type under another scope name',
    s('custom-express-tracer', INTERNAL, 'middleware', {
      'express.type': 'middleware',
    }),
    'framework/express',
  ],
  [
    'fastify (@fastify/otel)',
    s('@fastify/otel', INTERNAL, 'handler - fastify -> app-auto-0', {
      'fastify.type': 'request-handler',
      'hook.name': 'fastify -> app-auto-0 - route-handler',
    }),
    'framework/fastify',
  ],
  [
    'fastify (older instrumentation)',
    s(`${OTEL}fastify`, INTERNAL, 'middleware - corsHook', {
      'fastify.type': 'middleware',
      'plugin.name': 'fastify-cors',
      'hook.name': 'onRequest',
    }),
    'framework/fastify',
  ],
  [
    'koa middleware',
    s(`${OTEL}koa`, INTERNAL, 'middleware - bodyParser', {
      'koa.type': 'middleware',
      'koa.name': 'bodyParser',
    }),
    'framework/koa',
  ],
  [
    'koa router',
    s(`${OTEL}koa`, INTERNAL, 'router - /users/:id', {
      'koa.type': 'router',
      'koa.name': '/users/:id',
      'http.route': '/users/:id',
    }),
    'framework/koa',
  ],
  [
    'hapi route',
    s(`${OTEL}hapi`, INTERNAL, 'route - /users', {
      'hapi.type': 'router',
      'http.route': '/users',
      'http.method': 'GET',
    }),
    'framework/hapi',
  ],
  [
    'nestjs handler',
    s(`${OTEL}nestjs-core`, INTERNAL, 'UsersController.find', {
      'nestjs.type': 'handler',
      'nestjs.callback': 'find',
      'nestjs.controller': 'UsersController',
    }),
    'framework/nestjs',
  ],
  [
    'graphql parse',
    s(`${OTEL}graphql`, INTERNAL, 'graphql.parse', { 'graphql.source': '{ users { id } }' }),
    'graphql/graphql',
  ],
  [
    'graphql execute',
    s(`${OTEL}graphql`, INTERNAL, 'query Users', {
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'Users',
      'graphql.source': '{ users { id } }',
    }),
    'graphql/graphql',
  ],
  [
    'graphql resolver',
    s(`${OTEL}graphql`, INTERNAL, 'graphql.resolve', {
      'graphql.field.name': 'users',
      'graphql.field.path': 'users',
      'graphql.field.type': '[User]',
    }),
    'graphql/graphql',
  ],
  [
    'amqplib publish',
    s(`${OTEL}amqplib`, PRODUCER, 'publish orders', {
      'messaging.system': 'rabbitmq',
      'messaging.destination': 'orders',
      'messaging.destination_kind': 'topic',
      'messaging.rabbitmq.routing_key': 'new',
      'messaging.protocol': 'AMQP',
      'messaging.protocol_version': '0.9.1',
      'messaging.url': 'amqp://localhost',
      'net.peer.name': 'localhost',
      'net.peer.port': 5672,
    }),
    'messaging/rabbitmq',
  ],
  [
    'amqplib consume (a local root: the handler is app code)',
    s(`${OTEL}amqplib`, CONSUMER, 'orders process', {
      'messaging.system': 'rabbitmq',
      'messaging.operation': 'process',
      'messaging.destination': 'orders',
    }),
    'app/rabbitmq',
  ],
  [
    'kafkajs send',
    s(`${OTEL}kafkajs`, PRODUCER, 'send orders', {
      'messaging.system': 'kafka',
      'messaging.destination.name': 'orders',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.kafka.message.key': 'k1',
    }),
    'messaging/kafka',
  ],
  [
    'kafkajs process',
    s(`${OTEL}kafkajs`, CONSUMER, 'process orders', {
      'messaging.system': 'kafka',
      'messaging.destination.name': 'orders',
      'messaging.operation.type': 'process',
    }),
    'app/kafka',
  ],
  [
    'grpc client',
    s(`${OTEL}grpc`, CLIENT, 'grpc.helloworld.Greeter/SayHello', {
      'rpc.system': 'grpc',
      'rpc.method': 'SayHello',
      'rpc.service': 'helloworld.Greeter',
      'rpc.grpc.status_code': 0,
      'net.peer.name': 'localhost',
      'net.peer.port': 50051,
    }),
    'rpc/grpc',
  ],
  [
    'grpc server',
    s(`${OTEL}grpc`, SERVER, 'grpc.helloworld.Greeter/SayHello', {
      'rpc.system': 'grpc',
      'rpc.method': 'SayHello',
      'rpc.service': 'helloworld.Greeter',
    }),
    'app/grpc',
  ],
  [
    'aws-sdk',
    s(`${OTEL}aws-sdk`, CLIENT, 'S3.GetObject', {
      'rpc.system': 'aws-api',
      'rpc.service': 'S3',
      'rpc.method': 'GetObject',
      'cloud.region': 'eu-west-1',
    }),
    'rpc/aws-api',
  ],
  [
    'dns lookup is a CLIENT span but not http',
    s(`${OTEL}dns`, CLIENT, 'dns.lookup', {}),
    'dns/dns',
  ],
  [
    'net connect',
    s(`${OTEL}net`, INTERNAL, 'tcp.connect', {
      'net.transport': 'ip_tcp',
      'net.peer.name': 'localhost',
      'net.peer.port': 5432,
    }),
    'net/net',
  ],
  ['fs', s(`${OTEL}fs`, INTERNAL, 'fs readFileSync', {}), 'fs/fs'],
  ['a user span', s('checkout', INTERNAL, 'price cart', { 'cart.items': 3 }), 'app/checkout'],
  ['a span with no scope name', s('', INTERNAL, 'work', {}), 'app/unknown'],
];

describe('createLayerClassifier', () => {
  describe('built-in inference', () => {
    const { classify } = createLayerClassifier();
    it.each(cases)('%s', (_, span, expected) => {
      const { layer, system } = classify(span);
      expect(`${layer}/${system}`).toBe(expected);
    });

    it('returns the same object for the same layer and system', () => {
      const a = classify(cases[0][1]);
      expect(classify(cases[1][1])).toBe(a);
      expect(Object.isFrozen(a)).toBe(true);
    });
  });

  describe('strata.layer attribute', () => {
    const { classify } = createLayerClassifier();
    it('overrides inference and keeps the inferred system', () => {
      const span = s(`${OTEL}pg`, CLIENT, 'SELECT', {
        'db.system': 'postgresql',
        'strata.layer': 'cache',
      });
      expect(classify(span)).toEqual({ layer: 'cache', system: 'postgresql' });
    });
    it('takes strata.layer.system when set', () => {
      const span = s('billing', INTERNAL, 'charge', {
        'strata.layer': 'rpc',
        'strata.layer.system': 'stripe',
      });
      expect(classify(span)).toEqual({ layer: 'rpc', system: 'stripe' });
    });
    it('ignores empty or non-string values', () => {
      expect(classify(s('x', INTERNAL, 'a', { 'strata.layer': '' })).layer).toBe('app');
      expect(classify(s('x', INTERNAL, 'a', { 'strata.layer': 3 })).layer).toBe('app');
    });
  });

  describe('rules', () => {
    const rules: LayerRule[] = [
      { when: { scope: '@acme/billing-*' }, layer: 'rpc' },
      { when: { span: 'cache.*', kind: 'client' }, layer: 'cache', system: 'in-house' },
      {
        when: { attributes: { 'db.system': 'sqlite', 'db.name': 'local' } },
        layer: 'fs',
        system: 'sqlite',
      },
      { when: { kind: 'producer' }, layer: 'queue' },
    ];
    const { classify } = createLayerClassifier(rules);

    it('matches scope globs and keeps the inferred system without one', () => {
      expect(
        classify(s('@acme/billing-client', CLIENT, 'charge', { 'server.address': 'billing' })),
      ).toEqual({
        layer: 'rpc',
        system: 'billing',
      });
      expect(classify(s('@acme/other', CLIENT, 'x', { 'server.address': 'b' })).layer).toBe('http');
    });

    it('needs every condition of a rule: span glob and kind', () => {
      expect(classify(s('any', CLIENT, 'cache.get', {}))).toEqual({
        layer: 'cache',
        system: 'in-house',
      });
      expect(classify(s('any', INTERNAL, 'cache.get', {})).layer).toBe('app');
      expect(classify(s('any', CLIENT, 'xcache.get', {})).layer).toBe('http');
    });

    it('compares attributes strictly, all of them', () => {
      expect(classify(s('x', CLIENT, 'q', { 'db.system': 'sqlite', 'db.name': 'local' }))).toEqual({
        layer: 'fs',
        system: 'sqlite',
      });
      expect(
        classify(s('x', CLIENT, 'q', { 'db.system': 'sqlite', 'db.name': 'other' })).layer,
      ).toBe('db');
    });

    it('takes the first matching rule and wins over strata.layer', () => {
      const span = s('@acme/billing-x', PRODUCER, 'p', {
        'strata.layer': 'app',
        'messaging.system': 'kafka',
      });
      expect(classify(span)).toEqual({ layer: 'rpc', system: 'kafka' });
      expect(classify(s('y', PRODUCER, 'p', { 'messaging.system': 'kafka' }))).toEqual({
        layer: 'queue',
        system: 'kafka',
      });
    });

    it('stays correct past the span-name memo bound', () => {
      for (let i = 0; i < 5000; i++) {
        expect(classify(s('any', CLIENT, `cache.k${i}`, {})).system).toBe('in-house');
        expect(classify(s('any', CLIENT, `other.k${i}`, { 'server.address': 'h' })).layer).toBe(
          'http',
        );
      }
    });

    it('rejects a rule without a layer or with an unknown kind', () => {
      expect(() => createLayerClassifier([{ when: {}, layer: '' }])).toThrow(/rules\[0\]\.layer/);
      const bad = { when: { kind: 'sideways' }, layer: 'x' } as unknown as LayerRule;
      expect(() => createLayerClassifier([bad])).toThrow(/kind: "sideways"/);
    });
  });

  describe('toString', () => {
    it('prints what is configured', () => {
      expect(String(createLayerClassifier())).toBe('LayerClassifier(rules=0)');
      const text = String(
        createLayerClassifier([
          { when: { scope: '@acme/*' }, layer: 'rpc' },
          {
            when: { span: 'cache.*', kind: 'client', attributes: { a: 1 } },
            layer: 'cache',
            system: 'x',
          },
        ]),
      );
      expect(text).toBe(
        'LayerClassifier(rules=2; {scope="@acme/*"} -> rpc; {span="cache.*", kind=client, attributes={"a":1}} -> cache/x)',
      );
    });
  });
});
