import { describe, expect, it } from 'vitest';
import {
  actualMatchedRoute,
  constructedRoute,
  layerMetadata,
} from '../../../src/instrumentations/express/layer-route';

// Expected values are what @opentelemetry/instrumentation-express 0.72 (utils.ts) returns.
describe('constructedRoute', () => {
  it.each([
    [[], ''],
    [['/'], ''],
    [['/api', '/users', '/:id'], '/api/users/:id'],
    [['/', '/*', '/{*splat}', '/orders'], '/orders'],
    [['/{*a}x}'], '/{*a}x}'],
    [['*'], '*'],
    [['/api/', '/users'], '/api/users'],
    [['/a,/b'], '/a,/b'],
  ])('%j → %j', (paths, route) => {
    expect(constructedRoute(paths)).toBe(route);
  });
});

describe('actualMatchedRoute', () => {
  it.each([
    [[], '/x', undefined],
    [['/'], '/', '/'],
    [['/', '/'], '/users', undefined],
    [['/api', '/users/:id'], '/api/users/7', '/api/users/:id'],
    [['/orders'], '/orders?page=2', '/orders'],
    [['/orders'], '/other', undefined],
    [['orders'], '/orders', '/orders'],
    [['/a,/b'], '/b', '/a,/b'],
    [['*'], '/anything', '*'],
  ])('%j at %s → %j', (paths, url, route) => {
    expect(actualMatchedRoute(paths, constructedRoute(paths), url)).toBe(route);
  });
});

describe('layerMetadata', () => {
  it('names routers after their first route, handlers after the route, middleware after the function', () => {
    const router = {
      name: 'router',
      handle: { stack: [{ name: 'bound dispatch', route: { path: '/:id' } }] },
    };
    expect(layerMetadata(router, '/api', '/api')).toEqual({
      name: 'router - /:id',
      type: 'router',
      expressName: '/:id',
    });
    expect(layerMetadata({ name: 'router', handle: { stack: [] } }, '', undefined)).toEqual({
      name: 'router - /',
      type: 'router',
      expressName: '/',
    });
    expect(layerMetadata({ name: 'handle', path: '/users/7' }, '/users/:id', '/users/:id')).toEqual(
      {
        name: 'request handler - /users/:id',
        type: 'request_handler',
        expressName: '/users/:id',
      },
    );
    expect(layerMetadata({ name: 'bound dispatch', path: '' }, '', undefined)).toEqual({
      name: 'request handler',
      type: 'request_handler',
      expressName: 'request handler',
    });
    expect(layerMetadata({ name: 'jsonParser' }, '', undefined)).toEqual({
      name: 'middleware - jsonParser',
      type: 'middleware',
      expressName: 'jsonParser',
    });
  });
});
