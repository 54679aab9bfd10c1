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
