import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatV4, formatV6, parseIp, V4, V6 } from './addr.ts';
import { parseTarget } from './target.ts';

function canon(text: string): string | undefined {
  const w = new Uint32Array(4);
  const fam = parseIp(text, 0, text.length, w);
  if (fam === V4) return formatV4(w[3]!);
  if (fam === V6) return formatV6(w);
  return undefined;
}

describe('address parsing for the gate', () => {
  const cases: [string, string | undefined][] = [
    ['203.0.113.7', '203.0.113.7'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['256.1.1.1', undefined],
    ['01.2.3.4', undefined],
    ['1.2.3', undefined],
    ['1.2.3.4.5', undefined],
    ['1..3.4', undefined],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::ffff:c000:201', '192.0.2.1'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
    [':::', undefined],
    ['1::2::3', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['12345::', undefined],
    ['fe80::1%eth0', undefined],
    ['g::1', undefined],
    ['1:', undefined],
    ['', undefined],
  ];
  for (const [input, want] of cases) {
    test(`"${input}" parses to ${want ?? 'nothing'}`, () => assert.equal(canon(input), want));
  }

  test('parsing reads a slice of a facet string in place', () => {
    const w = new Uint32Array(4);
    assert.equal(parseIp('ip:10.0.0.1', 3, 11, w), V4);
    assert.equal(w[3], 0x0a000001);
  });

  test('CIDRs are normalised: host bits cleared, v4-mapped prefixes brought back to v4', () => {
    const v = (k: 'ip' | 'cidr' | undefined, s: string) => {
      const r = parseTarget(k, s);
      return r.ok ? r.target.value : `error: ${r.error}`;
    };
    assert.equal(v('cidr', '10.1.2.3/8'), '10.0.0.0/8');
    assert.equal(v('cidr', '10.1.2.3'), '10.1.2.3/32');
    assert.equal(v('cidr', '0.0.0.0/0'), '0.0.0.0/0');
    assert.equal(v('cidr', '2001:db8::1/32'), '2001:db8::/32');
    assert.equal(v('cidr', '::/0'), '::/0');
    assert.equal(v('cidr', '2001:db8::1/128'), '2001:db8::1/128');
    assert.equal(v('cidr', '::ffff:10.1.2.3/120'), '10.1.2.0/24');
    assert.equal(v(undefined, '192.0.2.0/24'), '192.0.2.0/24');
    assert.match(v('cidr', '10.0.0.0/33'), /bad prefix length/);
    assert.match(v('cidr', '2001:db8::/129'), /bad prefix length/);
    assert.match(v('cidr', '10.0.0.0/-1'), /bad prefix length/);
    assert.match(v('ip', '10.0.0.0/8'), /use kind cidr/);
  });
});
