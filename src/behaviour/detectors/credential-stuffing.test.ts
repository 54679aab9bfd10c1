import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCredentialStuffing } from './credential-stuffing.ts';
import { detectorKit } from './test-kit.ts';

/** Runs `n` logins and returns the rule ids of the last one's profile (what the next request is judged by). */
function campaign(rows: { ip: (i: number) => string; account: (i: number) => string; failEvery: number }, n: number) {
  const kit = detectorKit(createCredentialStuffing);
  for (let i = 0; i < n; i++) {
    kit.clock.advance(1000);
    const req = { ip: rows.ip(i), stack: 'tool', method: 'POST', path: '/login', account: rows.account(i) };
    // One failure in `failEvery` attempts (1: every attempt fails).
    kit.hit(req, rows.failEvery > 1 && i % rows.failEvery !== 0 ? 200 : 401);
  }
  kit.clock.advance(1000);
  return {
    kit,
    last: kit.findings({ ip: rows.ip(n), stack: 'tool', method: 'POST', path: '/login', account: 'next' }),
  };
}

test('credential stuffing and brute force, case by case', () => {
  const cases: [name: string, rows: Parameters<typeof campaign>[0], n: number, expected: string[]][] = [
    [
      'rotating IPs, one stack, all failing: the stack is caught',
      { ip: (i) => `198.51.${i}.1`, account: (i) => `a${i}`, failEvery: 1 },
      25,
      ['http:tool'],
    ],
    [
      'one IP trying many accounts: IP, subnet and stack',
      { ip: () => '198.51.100.1', account: (i) => `a${i}`, failEvery: 1 },
      25,
      ['ip:198.51.100.1', 'subnet:198.51.100.0/24', 'http:tool'],
    ],
    [
      'a NAT office: many accounts, one IP, mostly successes',
      { ip: () => '203.0.113.5', account: (i) => `a${i}`, failEvery: 10 },
      40,
      [],
    ],
    [
      'few attempts stay below every threshold',
      { ip: (i) => `198.51.${i}.1`, account: (i) => `a${i}`, failEvery: 1 },
      6,
      [],
    ],
  ];
  for (const [name, rows, n, facets] of cases) {
    const { last } = campaign(rows, n);
    const caught = last.filter((f) => f.ruleId === 'behaviour.credential-stuffing').map((f) => f.facets![0]);
    assert.deepEqual(caught, facets, name);
  }
});

test('brute force on one account from one IP, and on one account from anywhere', () => {
  const kit = detectorKit(createCredentialStuffing);
  for (let i = 0; i < 16; i++) kit.hit({ ip: '198.51.100.7', method: 'POST', path: '/login', account: 'alice' }, 401);
  assert.ok(
    kit.hit({ ip: '198.51.100.7', method: 'POST', path: '/login', account: 'alice' }).includes('behaviour.brute-force'),
  );
  assert.ok(
    kit
      .hit({ ip: '192.0.2.1', method: 'POST', path: '/login', account: 'alice' })
      .includes('behaviour.brute-force-account'),
  );
});

test('the route aggregate raises a login alert before any single client qualifies', () => {
  const kit = detectorKit(createCredentialStuffing);
  for (let i = 0; i < 40; i++)
    kit.hit({ ip: `198.51.${i}.1`, stack: `s${i}`, method: 'POST', path: '/login', account: `a${i}` }, 401);
  assert.equal(kit.alerts.active('POST /login', kit.clock.now()), true);
  kit.clock.advance(kit.config.stuffing.alertMs + 1);
  assert.equal(kit.alerts.active('POST /login', kit.clock.now()), false);
});

test('without account facets the failure ratio decides, at twice the attempts', () => {
  const kit = detectorKit(createCredentialStuffing);
  for (let i = 0; i < 39; i++) kit.hit({ ip: `198.51.${i}.1`, stack: 'tool', method: 'POST', path: '/login' }, 401);
  assert.deepEqual(kit.hit({ ip: '198.51.200.1', stack: 'tool', method: 'POST', path: '/login' }), []);
  kit.hit({ ip: '198.51.201.1', stack: 'tool', method: 'POST', path: '/login' }, 401);
  assert.ok(
    kit
      .hit({ ip: '198.51.202.1', stack: 'tool', method: 'POST', path: '/login' })
      .includes('behaviour.credential-stuffing'),
  );
});
