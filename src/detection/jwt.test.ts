import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pushJwt } from './jwt.ts';
import type { Input } from './types.ts';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = (header: object, claims: object = { sub: 'u1', iat: 1700000000 }) => `${b64(header)}.${b64(claims)}.c2ln`;
const pushed = (value: string): Input[] | undefined => {
  const inputs: Input[] = [];
  return pushJwt(inputs, 'header', 'header.authorization', value) ? inputs : undefined;
};

describe('pushJwt', () => {
  test("a JWT, bare or after Bearer (any case), gives its header's values, not the token", () => {
    const expected: Input[] = [
      { kind: 'header', location: 'header.authorization.jwt.alg', value: 'RS256' },
      { kind: 'header', location: 'header.authorization.jwt.kid', value: 'k1' },
    ];
    const t = token({ alg: 'RS256', kid: 'k1' });
    assert.deepEqual(pushed(t), expected);
    assert.deepEqual(pushed(`Bearer ${t}`), expected);
    assert.deepEqual(pushed(`bearer ${t}`), expected);
  });
  test('an unsigned token has its claims inspected too; a signed one does not', () => {
    const claims = { sub: "x' OR 1=1 --" };
    const none = pushed(`${b64({ alg: 'none' })}.${b64(claims)}.`)!;
    assert.ok(none.some((i) => i.location === 'header.authorization.jwt-claims.sub' && i.value === claims.sub));
    const signed = pushed(token({ alg: 'HS256' }, claims))!;
    assert.ok(!signed.some((i) => i.location.includes('jwt-claims')));
  });
  test('names outside the registered header parameters are inspected as keys', () => {
    const got = pushed(token({ alg: 'RS256', __proto__x: 1, ['__proto__']: { admin: true } }))!;
    assert.ok(got.some((i) => i.kind === 'key' && i.value === '__proto__'), JSON.stringify(got));
    assert.ok(!got.some((i) => i.kind === 'key' && i.value === 'alg'));
  });
  test('nested header values are inspected as JSON, odd names under one placeholder', () => {
    const got = pushed(token({ alg: 'RS256', jwk: { kty: 'RSA', n: 'x' }, 'a b': '1' }))!;
    assert.ok(got.some((i) => i.location === 'header.authorization.jwt.jwk' && i.value === '{"kty":"RSA","n":"x"}'));
    assert.ok(got.some((i) => i.location === 'header.authorization.jwt._' && i.value === '1'));
  });
  test('anything else is not a JWT', () => {
    for (const v of [
      'Bearer 3f2a9c1e0b7d4e5f8a6b2c1d0e9f8a7b',
      'eyJhbGciOiJIUzI1NiJ9',
      `Basic ${token({ alg: 'HS256' })}`,
      `${token({ alg: 'HS256' })}' OR 1=1 --`,
      `${b64({ alg: 'HS256' })}.notjson.sig`,
      'eyJ a sentence that starts like one',
    ]) {
      assert.equal(pushed(v), undefined, v);
    }
  });
});
