import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../core/clock.ts';
import type { DecisionAction } from '../core/decision.ts';
import type { Facet } from '../core/facet.ts';
import { GateIndex } from './gate.ts';
import { gatePut, gateRemove, gateSweep } from './gate-write.ts';
import { parseTarget, type Target } from './target.ts';

function t(kind: Target['kind'] | undefined, value: string): Target {
  const r = parseTarget(kind, value);
  if (!r.ok) throw new Error(r.error);
  return r.target;
}

function setup() {
  const clock = new ManualClock();
  const gate = new GateIndex(clock);
  let next = 1;
  const add = (kind: Target['kind'] | undefined, value: string, action: DecisionAction = 'block', ttl?: number) => {
    const id = next++;
    gatePut(gate, t(kind, value), {
      id,
      action,
      reason: `r${id}`,
      expiresAt: ttl === undefined ? undefined : clock.now() + ttl,
    });
    return id;
  };
  const hit = (...facets: string[]) => gate.lookup(facets as Facet[]);
  return { clock, gate, add, hit };
}

describe('decision gate', () => {
  test('an exact IPv4 block matches that address and no neighbour', () => {
    const { add, hit } = setup();
    add('ip', '203.0.113.7');
    assert.equal(hit('ip:203.0.113.7')?.action, 'block');
    assert.equal(hit('ip:203.0.113.7')?.matched, 'ip:203.0.113.7');
    assert.equal(hit('ip:203.0.113.8'), undefined);
  });

  test('a v4-mapped IPv6 client is caught by the IPv4 decision', () => {
    const { add, hit } = setup();
    add('ip', '192.0.2.1');
    add('cidr', '198.51.100.0/24');
    assert.equal(hit('ip:::ffff:192.0.2.1')?.decisionId, 'd1');
    assert.equal(hit('ip:::ffff:198.51.100.9')?.matched, 'cidr:198.51.100.0/24');
  });

  test('an IPv6 exact decision is normalised so any spelling matches', () => {
    const { add, hit } = setup();
    add('ip', '2001:DB8:0:0:0:0:0:1');
    assert.equal(hit('ip:2001:db8::1')?.action, 'block');
    assert.equal(hit('ip:2001:db8::2'), undefined);
  });

  test('CIDRs of /0, /1, /16, /31 and /32 cover exactly their ranges', () => {
    const { add, hit, gate } = setup();
    add('cidr', '10.1.2.3/32');
    assert.equal(hit('ip:10.1.2.3')?.matched, 'cidr:10.1.2.3/32');
    assert.equal(hit('ip:10.1.2.4'), undefined);
    add('cidr', '10.9.0.4/31');
    assert.equal(hit('ip:10.9.0.5')?.matched, 'cidr:10.9.0.4/31');
    assert.equal(hit('ip:10.9.0.6'), undefined);
    add('cidr', '172.16.99.1/16');
    assert.equal(hit('ip:172.16.255.255')?.matched, 'cidr:172.16.0.0/16');
    add('cidr', '128.0.0.0/1');
    assert.equal(hit('ip:200.1.1.1')?.matched, 'cidr:128.0.0.0/1');
    assert.equal(hit('ip:100.1.1.1'), undefined);
    add('cidr', '0.0.0.0/0', 'challenge');
    assert.equal(hit('ip:100.1.1.1')?.matched, 'cidr:0.0.0.0/0');
    assert.equal(gate.size, 5);
  });

  test('IPv6 prefixes of /0, /48, /127 and /128 cover exactly their ranges', () => {
    const { add, hit } = setup();
    add('cidr', '2001:db8:1::/48');
    assert.equal(hit('ip:2001:db8:1:ffff::1')?.matched, 'cidr:2001:db8:1::/48');
    assert.equal(hit('ip:2001:db8:2::1'), undefined);
    add('cidr', '2001:db8::/127');
    assert.equal(hit('ip:2001:db8::1')?.matched, 'cidr:2001:db8::/127');
    add('cidr', '2001:db8::5/128');
    assert.equal(hit('ip:2001:db8::5')?.matched, 'cidr:2001:db8::5/128');
    assert.equal(hit('ip:2001:db8::6'), undefined);
    add('cidr', '::/0', 'tarpit');
    assert.equal(hit('ip:2001:db8::6')?.matched, 'cidr:::/0');
    assert.equal(hit('ip:10.0.0.1'), undefined);
  });

  test('overlapping CIDRs: the most specific one of the strongest action wins, and allow beats block', () => {
    const { add, hit } = setup();
    add('cidr', '10.0.0.0/8', 'block');
    add('cidr', '10.1.0.0/16', 'tarpit');
    add('cidr', '10.1.2.0/24', 'block');
    assert.equal(hit('ip:10.1.2.3')?.matched, 'cidr:10.1.2.0/24');
    assert.equal(hit('ip:10.1.3.3')?.matched, 'cidr:10.0.0.0/8');
    add('ip', '10.1.2.3', 'allow');
    assert.equal(hit('ip:10.1.2.3')?.action, 'allow');
    add('cidr', '10.200.0.0/12', 'allow');
    assert.equal(hit('ip:10.201.0.1')?.matched, 'cidr:10.192.0.0/12');
  });

  test('an allow on any facet beats a block on the IP', () => {
    const { add, hit } = setup();
    add('ip', '198.51.100.1', 'block');
    add('principal', 'abc', 'allow');
    add('tls', 't13d_evil', 'block');
    assert.equal(hit('ip:198.51.100.1', 'principal:abc')?.action, 'allow');
    assert.equal(hit('ip:198.51.100.2', 'tls:t13d_evil')?.matched, 'tls:t13d_evil');
  });

  test('an expiring allow hands back to the block under it at its expiry, before any sweep', () => {
    const { add, hit, gate, clock } = setup();
    add('ip', '203.0.113.9', 'block');
    const allow = add('ip', '203.0.113.9', 'allow', 60_000);
    const target = t('ip', '203.0.113.9');
    let reads = 0;
    gate.setResolver((tt) => {
      reads++;
      return tt.value === target.value ? { best: { id: 1, action: 'block', reason: 'r1' }, total: 1 } : undefined;
    });
    assert.equal(hit('ip:203.0.113.9')?.decisionId, `d${allow}`);
    assert.equal(hit('ip:203.0.113.9')?.expiresAt, clock.now() + 60_000);
    clock.advance(60_000);
    // Regression: until the next sweep (up to 1 s later) this lookup found nothing, so the blocked client passed.
    assert.equal(hit('ip:203.0.113.9')?.decisionId, 'd1');
    assert.equal(hit('ip:203.0.113.9')?.action, 'block');
    assert.equal(reads, 1, 'the store is read once, by the first lookup after the expiry');
    assert.equal(gateSweep(gate, clock.now()), 0, 'nothing left for the sweep');
    assert.equal(hit('ip:203.0.113.9')?.action, 'block');
  });

  test('expired allows over blocks hand back at expiry on every kind of key: prefixes v4 and v6, IPv6, fingerprints', () => {
    const { add, hit, gate, clock } = setup();
    const cases = [
      ['cidr', '198.51.100.0/24', 'ip:198.51.100.77'],
      ['cidr', '2001:db8:5::/48', 'ip:2001:db8:5::9'],
      ['ip', '2001:db8::77', 'ip:2001:db8::77'],
      ['tls', 't13d1516h2_aaaaaaaaaaaa_bbbbbbbbbbbb', 'tls:t13d1516h2_aaaaaaaaaaaa_bbbbbbbbbbbb'],
    ] as const;
    const blocks = new Map<string, number>();
    for (const [kind, value] of cases) {
      blocks.set(t(kind, value).value, add(kind, value, 'block'));
      add(kind, value, 'allow', 30_000);
    }
    gate.setResolver((tt) => {
      const id = blocks.get(tt.value);
      return id === undefined ? undefined : { best: { id, action: 'block', reason: `r${id}` }, total: 1 };
    });
    for (const [, , facet] of cases) assert.equal(hit(facet)?.action, 'allow', facet);
    clock.advance(30_000);
    for (const [kind, value, facet] of cases)
      assert.equal(hit(facet)?.decisionId, `d${blocks.get(t(kind, value).value)}`, facet);
  });

  test('one lookup meeting two expired allows over blocks (address and its range) answers with a block', () => {
    const { add, hit, gate, clock } = setup();
    const exact = add('ip', '198.51.100.7', 'block');
    add('ip', '198.51.100.7', 'allow', 5_000);
    const range = add('cidr', '198.51.100.0/24', 'block');
    add('cidr', '198.51.100.0/24', 'allow', 5_000);
    gate.setResolver((tt) => {
      const id = tt.kind === 'ip' ? exact : range;
      return { best: { id, action: 'block', reason: `r${id}` }, total: 1 };
    });
    assert.equal(hit('ip:198.51.100.7')?.action, 'allow');
    clock.advance(5_000);
    assert.equal(hit('ip:198.51.100.7')?.decisionId, `d${exact}`);
    assert.equal(hit('ip:198.51.100.8')?.decisionId, `d${range}`);
  });

  test('an expired entry over no shadowed decision just stops matching and waits for the sweep', () => {
    const { add, hit, gate, clock } = setup();
    add('ip', '192.0.2.1', 'block');
    add('ip', '192.0.2.1', 'allow', 1_000); // shadows the block: the gate now tracks shadowed keys
    add('ip', '192.0.2.50', 'block', 1_000);
    let reads = 0;
    gate.setResolver(() => {
      reads++;
      return undefined;
    });
    clock.advance(1_000);
    assert.equal(hit('ip:192.0.2.50'), undefined);
    assert.equal(reads, 0, 'a key with nothing shadowed is not read back from the store');
    assert.equal(gateSweep(gate, clock.now()), 2);
  });

  test('removing a decision frees its slot and the lookup misses', () => {
    const { add, hit, gate } = setup();
    const id = add('cidr', '192.0.2.0/24');
    const id6 = add('cidr', '2001:db8::/32');
    gateRemove(gate, t('cidr', '192.0.2.0/24'), id);
    gateRemove(gate, t('cidr', '2001:db8::/32'), id6);
    assert.equal(hit('ip:192.0.2.1'), undefined);
    assert.equal(hit('ip:2001:db8::1'), undefined);
    assert.equal(gate.size, 0);
    assert.equal(gate.cidr4.lenMask16[(192 << 8) | 0], 0);
  });

  test('a sweep removes only expired entries, across every table', () => {
    const { add, gate, clock, hit } = setup();
    add('ip', '1.1.1.1', 'block', 1000);
    add('cidr', '2.2.0.0/16', 'block', 1000);
    add('cidr', '2001:db8::/64', 'block', 1000);
    add('tls', 'x', 'block', 1000);
    add('ip', '3.3.3.3', 'block');
    clock.advance(999);
    assert.equal(gateSweep(gate, clock.now()), 0);
    clock.advance(1);
    assert.equal(gateSweep(gate, clock.now()), 4);
    assert.equal(gate.size, 1);
    assert.equal(hit('ip:3.3.3.3')?.action, 'block');
  });

  test('a hundred thousand random entries agree with a plain Set, through inserts and removals', () => {
    const { gate } = setup();
    const ref = new Map<number, number>();
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let id = 1; id <= 100_000; id++) {
      const ip = rnd() & 0xfff_ffff;
      ref.set(ip, id);
      gatePut(gate, { kind: 'ip', family: 4, v4: ip, value: String(ip) }, { id, action: 'block', reason: 'x' });
    }
    let i = 0;
    for (const [ip, id] of ref) {
      if (i++ % 2 === 0) {
        gateRemove(gate, { kind: 'ip', family: 4, v4: ip, value: String(ip) }, id);
        ref.delete(ip);
      }
    }
    assert.equal(gate.ip4.size, ref.size);
    for (let ip = 0; ip < 0xfff_ffff; ip += 997) {
      const slot = gate.ip4.find(ip);
      assert.equal(slot >= 0 ? gate.ip4.idAt(slot) : undefined, ref.get(ip));
    }
    for (const [ip, id] of ref) assert.equal(gate.ip4.idAt(gate.ip4.find(ip)), id);
  });
  test('decision ids past 2^31 come back as themselves from every table, and their removal takes effect', () => {
    const { gate, hit } = setup();
    const big = 3_000_000_000;
    const targets = [t('ip', '192.0.2.9'), t('cidr', '198.51.100.0/24'), t('cidr', '203.0.113.5/32'), t('ip', '2001:db8::9')];
    targets.forEach((tg, i) => gatePut(gate, tg, { id: big + i, action: 'block', reason: 'x' }));
    assert.equal(hit('ip:192.0.2.9')?.decisionId, `d${big}`);
    assert.equal(hit('ip:198.51.100.77')?.decisionId, `d${big + 1}`);
    assert.equal(hit('ip:203.0.113.5')?.decisionId, `d${big + 2}`);
    assert.equal(hit('ip:2001:db8::9')?.decisionId, `d${big + 3}`);
    targets.forEach((tg, i) => gateRemove(gate, tg, big + i));
    assert.equal(gate.size, 0);
    assert.equal(hit('ip:192.0.2.9'), undefined);
  });

  test('exact IPv4 lookups stay right through removals that rebuild the /24 exact lane, which then forgets emptied /24s', () => {
    const { gate, hit } = setup();
    const t4 = (ip: number) => ({ kind: 'ip' as const, family: 4 as const, v4: ip, value: String(ip) });
    const dotted = (ip: number) => `ip:${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
    // 3 000 addresses in 3 000 distinct /24s of 20.0.0.0/8; remove all but every tenth, enough to force a rebuild.
    const ips = Array.from({ length: 3000 }, (_, i) => (((20 << 24) | (i << 8) | (i & 255)) >>> 0));
    ips.forEach((ip, i) => gatePut(gate, t4(ip), { id: i + 1, action: 'block', reason: 'x' }));
    ips.forEach((ip, i) => {
      if (i % 10 !== 0) gateRemove(gate, t4(ip), i + 1);
    });
    let stale = 0;
    ips.forEach((ip, i) => {
      assert.equal(hit(dotted(ip))?.decisionId, i % 10 === 0 ? `d${i + 1}` : undefined, dotted(ip));
      if (i % 10 === 0) assert.equal(gate.v4Front.exact(ip >>> 8), 1, `exact bit of ${dotted(ip)}`);
      else stale += gate.v4Front.exact(ip >>> 8);
    });
    // Without the rebuild all 2 700 emptied /24s would keep their bit; after it only those emptied since.
    assert.ok(stale < 1000, `stale exact bits ${stale}`);
  });

  test('prefixes of every v4 length agree with a brute-force check, through removals that rebuild the /24 bitmap', () => {
    const { gate } = setup();
    let seed = 11;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const live = new Map<string, { id: number; prefix: number; bits: number }>();
    let id = 1;
    // Kept inside 10.0.0.0/8 so random probes land on covered and uncovered /24s alike.
    for (let n = 0; n < 4000; n++) {
      const bits = 8 + (rnd() % 25);
      const prefix = ((0x0a000000 | (rnd() & 0xffffff)) & (bits === 0 ? 0 : -1 << (32 - bits))) >>> 0;
      const tt: Target = { kind: 'cidr', family: 4, v4: prefix, bits, value: `${prefix}/${bits}` };
      if (live.has(tt.value)) continue;
      gatePut(gate, tt, { id, action: 'block', reason: 'x' });
      live.set(tt.value, { id: id++, prefix, bits });
    }
    // Remove three quarters: more removals than live entries, so the bitmap is rebuilt on the way.
    let k = 0;
    for (const [value, e] of live) {
      if (k++ % 4 === 0) continue;
      gateRemove(gate, { kind: 'cidr', family: 4, v4: e.prefix, bits: e.bits, value }, e.id);
      live.delete(value);
    }
    const covered = (ip: number) => {
      let best: { bits: number } | undefined;
      for (const e of live.values()) {
        const m = e.bits === 0 ? 0 : -1 << (32 - e.bits);
        if (((ip & m) >>> 0) === e.prefix && (best === undefined || e.bits > best.bits)) best = e;
      }
      return best?.bits;
    };
    for (let n = 0; n < 3000; n++) {
      const ip = (0x0a000000 | (rnd() & 0xffffff)) >>> 0;
      const m = gate.lookup([`ip:${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}` as Facet]);
      const want = covered(ip);
      assert.equal(m === undefined ? undefined : Number(m.matched.split('/')[1]), want, `address ${ip}`);
    }
  });

  test('a removed prefix leaves no match behind in its /24, while an overlapping one in the same /24 still matches', () => {
    const { add, hit, gate } = setup();
    const a = add('cidr', '198.51.100.0/25');
    add('cidr', '198.51.100.128/26');
    const b = add('cidr', '2001:db8:ab00::/40');
    add('cidr', '2001:db8::/16');
    gateRemove(gate, t('cidr', '198.51.100.0/25'), a);
    gateRemove(gate, t('cidr', '2001:db8:ab00::/40'), b);
    assert.equal(hit('ip:198.51.100.1'), undefined);
    assert.equal(hit('ip:198.51.100.129')?.matched, 'cidr:198.51.100.128/26');
    assert.equal(hit('ip:2001:db8:ab00::1')?.matched, 'cidr:2001::/16');
    assert.equal(hit('ip:2002::1'), undefined);
  });
  test('with mixed actions, exact and prefix decisions agree with a brute-force ranking, before and after the allows go', () => {
    const { gate, clock } = setup();
    let seed = 5;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const actions: DecisionAction[] = ['block', 'allow', 'challenge', 'tarpit'];
    const rank = { allow: 4, block: 3, challenge: 2, tarpit: 1 } as const;
    type E = { id: number; action: DecisionAction; prefix: number; bits: number; exact: boolean; exp?: number };
    const live = new Map<string, E>();
    let id = 1;
    for (let n = 0; n < 3000; n++) {
      const exact = n % 3 === 0;
      const bits = exact ? 32 : 12 + (rnd() % 21);
      const prefix = ((0xc6000000 | (rnd() & 0xfffff)) & (-1 << (32 - bits))) >>> 0;
      // Mostly blocks; a few of every other action, some allows expiring.
      const action = rnd() % 10 < 7 ? 'block' : actions[rnd() % 4]!;
      const key = `${exact}/${prefix}/${bits}/${action}`;
      if (live.has(key) || [...live.values()].some((e) => e.exact === exact && e.prefix === prefix && e.bits === bits)) continue;
      const exp = action === 'allow' && rnd() % 2 === 0 ? clock.now() + 1000 : undefined;
      const tt: Target = exact
        ? { kind: 'ip', family: 4, v4: prefix, value: String(prefix) }
        : { kind: 'cidr', family: 4, v4: prefix, bits, value: `${prefix}/${bits}` };
      gatePut(gate, tt, { id, action, reason: 'x', expiresAt: exp });
      live.set(key, { id: id++, action, prefix, bits, exact, ...(exp === undefined ? {} : { exp }) });
    }
    const want = (ip: number) => {
      let best: E | undefined;
      for (const e of live.values()) {
        if (e.exp !== undefined && e.exp <= clock.now()) continue;
        const m = e.bits === 0 ? 0 : -1 << (32 - e.bits);
        if (((ip & m) >>> 0) !== e.prefix) continue;
        const better =
          best === undefined ||
          rank[e.action] > rank[best.action] ||
          (rank[e.action] === rank[best.action] && (e.exact ? 33 : e.bits) > (best.exact ? 33 : best.bits));
        if (better) best = e;
      }
      return best?.id;
    };
    // Probes: every entry's own first address (so exact entries under prefixes are asked), then random ones.
    const probes = [...live.values()].map((e) => e.prefix);
    for (let n = 0; n < 2000; n++) probes.push((0xc6000000 | (rnd() & 0xfffff)) >>> 0);
    const check = () => {
      for (const ip of probes) {
        const facet = `ip:${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}` as Facet;
        const m = gate.lookup([facet]);
        assert.equal(m === undefined ? undefined : Number(m.decisionId.slice(1)), want(ip), `address ${ip}`);
      }
    };
    check();
    clock.advance(1000); // the expiring allows stop applying at once, before any sweep
    check();
    gateSweep(gate, clock.now());
    for (const [k, e] of live) if (e.exp !== undefined) live.delete(k);
    for (const [k, e] of live) {
      if (e.action !== 'allow') continue;
      const tt: Target = e.exact
        ? { kind: 'ip', family: 4, v4: e.prefix, value: String(e.prefix) }
        : { kind: 'cidr', family: 4, v4: e.prefix, bits: e.bits, value: `${e.prefix}/${e.bits}` };
      gateRemove(gate, tt, e.id);
      live.delete(k);
    }
    assert.equal(gate.profiles.rankRefs[4], 0, 'no allow left');
    check();
  });
});
