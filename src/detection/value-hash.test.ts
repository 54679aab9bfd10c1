import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretKey } from './value-hash.ts';

test('secret keys are stable, 53-bit integers, and differ for near-identical tokens', () => {
  const k = secretKey('Bearer key-abc-3f2a9c1e0b7d4e5f');
  assert.equal(k, secretKey('Bearer key-abc-3f2a9c1e0b7d4e5f'));
  assert.ok(Number.isSafeInteger(k) && k >= 0);
  const seen = new Set<number>();
  for (let i = 0; i < 100_000; i++) seen.add(secretKey(`Bearer key-${i.toString(36)}-3f2a9c1e0b7d4e5f`));
  assert.equal(seen.size, 100_000);
});
