import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeIp, subnetOf } from './ip.ts';

test('v4-mapped v6 peers are normalised to their v4 address', () => {
  assert.equal(normalizeIp('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(normalizeIp('::FFFF:10.0.0.1'), '10.0.0.1');
});

test('v6 addresses are compressed per RFC 5952 and zones and brackets dropped', () => {
  assert.equal(normalizeIp('2001:0DB8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  assert.equal(normalizeIp('[fe80::1%eth0]'), 'fe80::1');
  assert.equal(normalizeIp('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1');
});

test('text that is not an address is rejected', () => {
  assert.equal(normalizeIp('203.0.113.256'), undefined);
  assert.equal(normalizeIp('example.com'), undefined);
  assert.equal(normalizeIp(''), undefined);
});

test('the subnet of a v4 address is its /24 and of a v6 address its /64', () => {
  assert.equal(subnetOf('203.0.113.7'), '203.0.113.0/24');
  assert.equal(subnetOf('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
});
