import assert from 'node:assert/strict';
import { test } from 'node:test';
import { facet, parseFacet } from './facet.ts';

test('a facet splits at its first colon so IPv6 values keep theirs', () => {
  assert.deepEqual(parseFacet('ip:2001:db8::1'), { kind: 'ip', value: '2001:db8::1' });
  assert.equal(facet('tls', 't13d1516h2_abc'), 'tls:t13d1516h2_abc');
});

test('unknown kinds and empty values are not facets', () => {
  assert.equal(parseFacet('mac:00:11'), undefined);
  assert.equal(parseFacet('ip:'), undefined);
  assert.equal(parseFacet('nocolon'), undefined);
});
