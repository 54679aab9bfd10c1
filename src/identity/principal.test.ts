import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { identityConfigSchema } from './config.ts';
import { JwtVerifier } from './jwt.ts';
import { createPrincipalExtractor } from './principal.ts';
import { createFacetHasher } from './salt.ts';

const NOW = Date.UTC(2026, 0, 1);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

function hs256(claims: object, secret: string): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

function es256(claims: object, key: Parameters<typeof sign>[2], kid = 'k1'): string {
  const head = `${b64({ alg: 'ES256', kid })}.${b64(claims)}`;
  return `${head}.${sign('sha256', Buffer.from(head), { key: key as never, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

const hash = createFacetHasher(Buffer.from('salt-salt-salt-salt'));
const dir = mkdtempSync(join(tmpdir(), 'pc-jwt-'));

function extractor(jwt: { keyFile?: string; jwksFile?: string } = {}) {
  const config = identityConfigSchema.parse({ jwt });
  return createPrincipalExtractor(config, hash, new JwtVerifier(config.jwt));
}

test('without a key a JWT subject is a principal marked unverified', () => {
  const p = extractor().extract({ authorization: `Bearer ${hs256({ sub: 'user-1' }, 's')}` }, NOW);
  assert.equal(p?.verified, false);
  assert.match(p!.facet, /^principal:u-[0-9a-f]{16}$/);
});

test('with an HMAC key file, a good signature verifies and a forged one does not', () => {
  const keyFile = join(dir, 'hmac.key');
  writeFileSync(keyFile, 'the-shared-secret\n');
  const x = extractor({ keyFile });
  const good = x.extract({ authorization: `Bearer ${hs256({ sub: 'user-1' }, 'the-shared-secret')}` }, NOW);
  const forged = x.extract({ authorization: `Bearer ${hs256({ sub: 'user-1' }, 'guess')}` }, NOW);
  assert.equal(good?.verified, true);
  assert.match(good!.facet, /^principal:j-/);
  assert.equal(forged?.verified, false);
  assert.equal(forged?.reason, 'bad signature');
  // A forged token for the same subject never lands on the verified principal's facet.
  assert.notEqual(good!.facet, forged!.facet);
});

test('a JWKS verifies ES256 by kid, refuses alg none and expired tokens', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1' }] }));
  const x = extractor({ jwksFile });
  assert.equal(x.extract({ authorization: `Bearer ${es256({ sub: 'a' }, privateKey)}` }, NOW)?.verified, true);
  const expired = es256({ sub: 'a', exp: NOW / 1000 - 60 }, privateKey);
  assert.equal(x.extract({ authorization: `Bearer ${expired}` }, NOW)?.reason, 'expired');
  const none = `${b64({ alg: 'none', kid: 'k1' })}.${b64({ sub: 'a' })}.`;
  assert.equal(x.extract({ authorization: `Bearer ${none}` }, NOW)?.verified, false);
});

test('API key beats bearer beats session cookie; opaque bearer tokens are hashed whole', () => {
  const x = extractor();
  assert.equal(x.extract({ 'x-api-key': 'k', authorization: 'Bearer t' }, NOW)?.source, 'api-key');
  assert.match(x.extract({ authorization: 'Bearer opaque-token' }, NOW)!.facet, /^principal:b-/);
  assert.match(x.extract({ cookie: 'theme=dark; sid=abc123' }, NOW)!.facet, /^principal:s-/);
  assert.equal(x.extract({ cookie: 'theme=dark' }, NOW), undefined);
  assert.equal(x.extract({}, NOW), undefined);
});

test('an unreadable JWT key is a start-up error with its code', () => {
  assert.throws(() => extractor({ keyFile: join(dir, 'missing.pem') }), { code: 'PC_ERR_IDENTITY_JWT_KEY' });
});

test('facetFor gives the same facet the extractor derives from traffic', async () => {
  const { facetFor } = await import('./facet-for.ts');
  const x = extractor();
  assert.equal(x.extract({ 'x-api-key': 'k-42' }, NOW)?.facet, facetFor(hash, 'api-key', 'k-42'));
  assert.equal(x.extract({ cookie: 'sid=s-1' }, NOW)?.facet, facetFor(hash, 'session', 's-1'));
  assert.equal(x.extract({ authorization: 'Bearer opaque' }, NOW)?.facet, facetFor(hash, 'bearer', 'opaque'));
});
