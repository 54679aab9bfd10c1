import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRoutes, DEFAULT_LOGIN_ROUTES, routePatternProblem } from './route-pattern.ts';

test('a leading ** matches any number of leading segments, none included', () => {
  const match = compileRoutes([{ method: 'POST', path: '/**/login' }]);
  for (const path of ['/login', '/api/login', '/api/v2/auth/login', '/LOGIN/', '/a/b/c/d/login'])
    assert.deepEqual(match('POST', path), { params: {} }, path);
  for (const path of ['/login/x', '/api/loginx', '/', '/api/v2/auth/logout']) assert.equal(match('POST', path), undefined, path);
  assert.equal(match('GET', '/api/login'), undefined);
});

test('** with parameters and with a trailing wildcard', () => {
  const param = compileRoutes([{ method: '*', path: '/**/users/:id/exists' }]);
  assert.deepEqual(param('GET', '/api/v1/users/bob/exists'), { params: { id: 'bob' } });
  assert.equal(param('GET', '/api/v1/users/exists'), undefined);
  const tail = compileRoutes([{ method: 'POST', path: '/**/auth/*' }]);
  assert.deepEqual(tail('POST', '/svc/auth/password'), { params: {} });
  assert.deepEqual(tail('POST', '/auth/password/reset'), { params: {} });
  assert.equal(tail('POST', '/svc/auth'), undefined);
});

test('** is refused anywhere but first', () => {
  assert.equal(routePatternProblem('/**/login'), undefined);
  assert.match(routePatternProblem('/api/**/login') ?? '', /first segment/);
});

test('the default login routes: common login actions at any depth, not look-alikes', () => {
  const isLogin = compileRoutes(DEFAULT_LOGIN_ROUTES);
  for (const path of [
    '/login',
    '/api/login',
    '/api/v1/auth/login',
    '/users/sign_in',
    '/account/signin',
    '/oauth/token',
    '/api/authenticate',
    '/auth/password',
    '/api/auth/callback',
  ])
    assert.ok(isLogin('POST', path), path);
  for (const path of ['/api/products', '/api/logins/export', '/api/chat/sessions', '/api/v1/tokens', '/logout'])
    assert.equal(isLogin('POST', path), undefined, path);
  assert.equal(isLogin('GET', '/login'), undefined, 'a login form page is not a login attempt');
});
