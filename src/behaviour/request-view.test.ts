import assert from 'node:assert/strict';
import { test } from 'node:test';
import { behaviourConfigSchema } from './config.ts';
import { subnetOf, ViewBuilder } from './request-view.ts';
import { compileRoutes } from '../core/route-pattern.ts';

const views = new ViewBuilder(
  behaviourConfigSchema.parse({ routes: { objects: [{ method: 'GET', path: '/shop/:id/reviews' }] } }),
);
const build = (method: string, path: string, rawQuery = '') =>
  views.build({ now: 0, method, path, rawQuery, clientIp: '192.0.2.1', facets: [] });

test('routes are templated with object ids recognised by shape or by configured route', () => {
  const cases: [method: string, path: string, route: string, objectId: string | undefined][] = [
    ['GET', '/api/orders/123', 'GET /api/orders/:id', '123'],
    [
      'GET',
      '/api/users/9f1c2a7e-58b4-4c1e-9a0d-2f6c1e9b7a11/cart',
      'GET /api/users/:id/cart',
      '9f1c2a7e-58b4-4c1e-9a0d-2f6c1e9b7a11',
    ],
    ['get', '/API/Products', 'GET /api/products', undefined],
    ['GET', '/api/v2/items', 'GET /api/v2/items', undefined],
    ['GET', '/shop/blue-kettle/reviews', 'GET /shop/blue-kettle/reviews', 'blue-kettle'],
  ];
  for (const [method, path, route, objectId] of cases) {
    const v = build(method, path);
    assert.deepEqual([v.route, v.objectId], [route, objectId], path);
  }
});

test('login and enumeration routes are recognised; page depth comes from page or offset/limit', () => {
  assert.equal(build('POST', '/login').isLogin, true);
  assert.equal(build('GET', '/login').isLogin, false);
  assert.equal(build('POST', '/api/v1/login').isLogin, true);
  assert.equal(build('GET', '/api/users/alice/exists').probedAccount, 'alice');
  assert.deepEqual(
    ['page=7', 'offset=300&limit=50', 'offset=300', 'q=x', ''].map((q) => build('GET', '/api/products', q).pageDepth),
    [7, 6, 15, 0, 0],
  );
});

test('subnets: /24 for IPv4, /64 for IPv6', () => {
  assert.equal(subnetOf('203.0.113.77'), 'subnet:203.0.113.0/24');
  assert.equal(subnetOf('2001:db8:1:2:3:4:5:6'), 'subnet:2001:db8:1:2::/64');
  assert.equal(subnetOf('::1'), undefined);
});

test('route patterns: parameters, trailing wildcard, any method', () => {
  const match = compileRoutes([
    { method: 'POST', path: '/api/*' },
    { method: '*', path: '/u/:name/exists' },
  ]);
  assert.deepEqual(match('POST', '/api/a/b'), { params: {} });
  assert.deepEqual(compileRoutes([{ method: 'POST', path: '/api/*/login' }])('POST', '/api/v1/login'), { params: {} });
  assert.equal(match('POST', '/api'), undefined);
  assert.deepEqual(match('DELETE', '/u/bob/exists'), { params: { name: 'bob' } });
  assert.equal(match('GET', '/u/bob'), undefined);
});
