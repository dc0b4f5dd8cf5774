// The applications under test: each is a file in apps/ and the path the load generators request.

/**
 * App id → entry file (relative to test/bench), request path, module system, whether it needs the
 * upstream server, and its fixed rate for latency: well below saturation even when instrumented
 * (the shop path saturates near 2k req/s uninstrumented here, so 1,000 req/s would measure queueing).
 */
export const APPS = {
  'hello-cjs': {
    file: 'apps/express-hello.cjs',
    path: '/',
    esm: false,
    upstream: false,
    rate: 1000,
  },
  'hello-esm': {
    file: 'apps/express-hello.mjs',
    path: '/',
    esm: true,
    upstream: false,
    rate: 1000,
  },
  shop: { file: 'apps/shop-path.cjs', path: '/order/1', esm: false, upstream: true, rate: 200 },
};

/** Apps whose figures are compared with the stock register's added time (the hello target). */
export const HELLO_APPS = new Set(['hello-cjs', 'hello-esm']);
