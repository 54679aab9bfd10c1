import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ChallengeSecrets } from './secrets.ts';
import { signToken, verifyToken } from './token.ts';

const HOUR = 3_600_000;
const secrets = new ChallengeSecrets(randomBytes(32), HOUR);
const client = { ip: '192.0.2.10', stack: 'http:h1abc' };
const t0 = Date.UTC(2026, 0, 1, 10, 30);

test('a token verifies for the client it was issued to until it expires', () => {
  const token = signToken(secrets, { kind: 'c', ...client, ttlMs: 60_000 }, t0);
  assert.equal(verifyToken(secrets, token, client, 'c', t0 + 59_999).ok, true);
  assert.deepEqual(verifyToken(secrets, token, client, 'c', t0 + 60_000), { ok: false, reason: 'expired' });
});

test('tokens cannot be forged, replayed by another client or used as another kind', () => {
  const token = signToken(secrets, { kind: 'c', ...client, ttlMs: 60_000 }, t0);
  const parts = token.split('.');
  const cases: [name: string, candidate: string, who: typeof client, reason: string][] = [
    [
      'changed expiry',
      [...parts.slice(0, 3), (t0 + HOUR * 99).toString(36), ...parts.slice(4)].join('.'),
      client,
      'forged',
    ],
    ['changed binding', [...parts.slice(0, 4), 'AAAAAAAAAAAA', ...parts.slice(5)].join('.'), client, 'forged'],
    ['truncated mac', token.slice(0, -2), client, 'forged'],
    [
      'other secret',
      signToken(new ChallengeSecrets(randomBytes(32), HOUR), { kind: 'c', ...client, ttlMs: 60_000 }, t0),
      client,
      'forged',
    ],
    ['other client stack', token, { ip: client.ip, stack: 'http:other' }, 'other-client'],
    ['other address', token, { ip: '192.0.2.11', stack: client.stack }, 'other-address'],
    ['garbage', 'v1.c.x', client, 'malformed'],
  ];
  for (const [name, candidate, who, reason] of cases) {
    const check = verifyToken(secrets, candidate, who, 'c', t0 + 1000);
    assert.equal(check.ok ? 'ok' : check.reason, reason, name);
  }
  assert.equal(verifyToken(secrets, token, client, 'p', t0).ok, false);
});

test('secrets rotate: the previous epoch still verifies, older ones are forged', () => {
  const token = signToken(secrets, { kind: 'c', ...client, ttlMs: 10 * HOUR }, t0);
  assert.equal(verifyToken(secrets, token, client, 'c', t0 + HOUR).ok, true);
  assert.deepEqual(verifyToken(secrets, token, client, 'c', t0 + 2 * HOUR), { ok: false, reason: 'forged' });
});
