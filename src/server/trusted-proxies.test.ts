import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrustedProxies } from './trusted-proxies.ts';

const cases: Array<[string, string[], string, string | undefined, string]> = [
  ['no proxy is trusted by default, so the header is ignored', [], '10.0.0.2', '1.2.3.4', '10.0.0.2'],
  ['loopback is a client like any other unless trusted', [], '127.0.0.1', '1.2.3.4', '127.0.0.1'],
  ['a trusted peer hands over the right-most untrusted hop', ['10.0.0.0/8'], '10.0.0.2', '6.6.6.6, 1.2.3.4', '1.2.3.4'],
  ['trusted hops inside the chain are skipped', ['10.0.0.0/8'], '10.0.0.2', '6.6.6.6, 1.2.3.4, 10.1.1.1', '1.2.3.4'],
  ['an untrusted peer cannot forge the header', ['10.0.0.0/8'], '192.0.2.1', '1.2.3.4', '192.0.2.1'],
  [
    'a malformed hop stops the walk at the last good address',
    ['10.0.0.0/8'],
    '10.0.0.2',
    '1.2.3.4, garbage',
    '10.0.0.2',
  ],
  ['all hops trusted yields the left-most', ['10.0.0.0/8'], '10.0.0.2', '10.9.9.9, 10.1.1.1', '10.9.9.9'],
  ['v6 proxies and clients work the same', ['2001:db8::/32'], '2001:db8::5', '2001:db9::7', '2001:db9::7'],
  ['a v4-mapped peer matches a v4 range', ['127.0.0.1/32'], '127.0.0.1', '::ffff:1.2.3.4', '1.2.3.4'],
  ['a missing header leaves the peer', ['10.0.0.0/8'], '10.0.0.2', undefined, '10.0.0.2'],
];

for (const [name, trusted, peer, xff, expected] of cases) {
  test(name, () => {
    assert.equal(new TrustedProxies(trusted).clientIp(peer, xff), expected);
  });
}

test('a /0 trusts every v4 address but no v6 one', () => {
  const t = new TrustedProxies(['0.0.0.0/0']);
  assert.equal(t.has('198.51.100.1'), true);
  assert.equal(t.has('2001:db8::1'), false);
});

test('v6 ranges that cover the v4-mapped block trust v4 peers; others do not', () => {
  assert.equal(new TrustedProxies(['::/0']).has('203.0.113.5'), true);
  assert.equal(new TrustedProxies(['::ffff:0:0/96']).has('203.0.113.5'), true);
  assert.equal(new TrustedProxies(['::ffff:203.0.113.0/120']).has('203.0.113.5'), true);
  assert.equal(new TrustedProxies(['::ffff:203.0.113.0/120']).has('203.0.114.5'), false);
  assert.equal(new TrustedProxies(['2001:db8::/32']).has('203.0.113.5'), false);
});

test('v4 prefixes of every length match exactly their block', () => {
  for (let bits = 0; bits <= 32; bits++) {
    const t = new TrustedProxies([`203.0.113.128/${bits}`]);
    const inside = bits === 32 ? '203.0.113.128' : '203.0.113.129';
    assert.equal(t.has(inside), bits !== 32 || inside === '203.0.113.128', `/${bits} inside`);
    // Flip the last bit of the prefix: outside for every prefix length but /0.
    const flipped = bits === 0 ? undefined : (((0xcb007180 ^ (1 << (32 - bits))) >>> 0) as number);
    if (flipped !== undefined) {
      const ip = [24, 16, 8, 0].map((s) => (flipped >>> s) & 255).join('.');
      assert.equal(t.has(ip), false, `/${bits}: ${ip} is outside`);
    }
  }
  assert.equal(new TrustedProxies(['10.0.0.1']).has('10.0.0.1'), true);
  assert.equal(new TrustedProxies(['10.0.0.1']).has('10.0.0.2'), false);
  assert.equal(new TrustedProxies(['10.0.0.0/8']).has('999.0.0.1'), false);
});
