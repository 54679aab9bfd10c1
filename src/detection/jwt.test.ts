import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jwtHeader } from './jwt.ts';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = (header: object, claims: object = { sub: 'u1', iat: 1700000000 }) => `${b64(header)}.${b64(claims)}.c2ln`;

describe('jwtHeader', () => {
  test('a JWT, bare or after Bearer (any case), gives its decoded header', () => {
    const t = token({ alg: 'RS256', kid: 'k1' });
    assert.equal(jwtHeader(t), '{"alg":"RS256","kid":"k1"}');
    assert.equal(jwtHeader(`Bearer ${t}`), '{"alg":"RS256","kid":"k1"}');
    assert.equal(jwtHeader(`bearer ${t}`), '{"alg":"RS256","kid":"k1"}');
    assert.equal(jwtHeader(`${b64({ alg: 'none' })}.${b64({ sub: 'x' })}.`), '{"alg":"none"}');
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
      assert.equal(jwtHeader(v), undefined, v);
    }
  });
});
