import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccountEnumeration } from './account-enumeration.ts';
import { detectorKit } from './test-kit.ts';

test('account enumeration: many accounts asked about, mostly "no such account"', () => {
  const cases: [name: string, unknownEvery: number, n: number, expected: boolean][] = [
    ['every answer says unknown', 1, 15, true],
    ['half unknown', 2, 20, true],
    ['a user checking names while signing up', 1, 4, false],
    ['mostly known accounts', 10, 20, false],
  ];
  for (const [name, unknownEvery, n, expected] of cases) {
    const kit = detectorKit(createAccountEnumeration);
    for (let i = 0; i < n; i++) {
      kit.hit({ ip: '198.51.100.1', path: `/api/users/user${i}/exists` }, i % unknownEvery === 0 ? 404 : 200);
    }
    const last = kit.hit({ ip: '198.51.100.1', path: '/api/users/next/exists' });
    assert.equal(last.includes('behaviour.account-enumeration'), expected, name);
  }
});

test('password spraying: one try on each of many accounts over an hour, nearly all failing', () => {
  const kit = detectorKit(createAccountEnumeration);
  for (let i = 0; i < 20; i++) {
    kit.clock.advance(150_000); // one attempt every 2.5 minutes: below every per-minute threshold
    kit.hit({ ip: '198.51.100.9', method: 'POST', path: '/login', account: `a${i}` }, 401);
  }
  assert.ok(
    kit
      .hit({ ip: '198.51.100.9', method: 'POST', path: '/login', account: 'z' })
      .includes('behaviour.password-spraying'),
  );
  const office = detectorKit(createAccountEnumeration);
  for (let i = 0; i < 20; i++)
    office.hit({ ip: '203.0.113.5', method: 'POST', path: '/login', account: `a${i}` }, i % 8 ? 200 : 401);
  assert.deepEqual(office.hit({ ip: '203.0.113.5', method: 'POST', path: '/login', account: 'z' }), []);
});
