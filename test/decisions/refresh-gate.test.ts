import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GateIndex } from '../../src/decisions/gate.ts';
import { block, embeddedOpener } from './fixtures.ts';

/**
 * The gate after refreshes (a re-add keeps the decision's id, so the gate rewrites an id in place): allow still
 * beats block, the refreshed expiry is the one that counts (shortened, removed, or taken over from a version
 * that had expired but was not swept), removal by id after a refresh takes the refreshed version out, and a
 * removed target added again is a new decision. Each case is checked in the gate, in the store, and after a
 * restart (the gate rebuilt from the file), and the gate's profile table ends as small as it started.
 */
const open = embeddedOpener();

const IP = '198.51.100.77';
const hit = (svc: Awaited<ReturnType<typeof open>>['svc']) => svc.gate.lookup([`ip:${IP}`]);

describe('the gate after refreshes', () => {
  test('an allow beside a block still wins after either is refreshed, and the refreshed TTLs decide who is left', async () => {
    const { svc, clock } = await open();
    const b = await svc.add(block(IP, { reason: 'b1', ttlMs: 600_000 }), 'ops');
    const a = await svc.add(block(IP, { action: 'allow', reason: 'a1', ttlMs: 600_000 }), 'ops');
    assert.equal(hit(svc)?.decisionId, a.id);
    // Refresh the shadowed block with a shorter TTL, the allow with a shorter one still.
    const b2 = await svc.add(block(IP, { reason: 'b2', ttlMs: 120_000 }), 'ops');
    const a2 = await svc.add(block(IP, { action: 'allow', reason: 'a2', ttlMs: 60_000 }), 'ops');
    assert.equal(b2.id, b.id);
    assert.equal(a2.id, a.id);
    assert.equal(hit(svc)?.reason, 'a2');
    clock.advance(61_000);
    // The allow's refreshed (shorter) expiry has passed; the sweep brings the shadowed block into the gate, with
    // its refreshed reason (until then the expired allow answers nothing: a shadowed decision waits for the sweep).
    svc.sweep();
    assert.equal(hit(svc)?.decisionId, b.id);
    assert.equal(hit(svc)?.reason, 'b2');
    clock.advance(60_000);
    assert.equal(hit(svc), undefined, 'the block expires at its refreshed, shorter TTL');
    svc.sweep();
    assert.equal(svc.count({}), 0);
    assert.equal(svc.stats().gateEntries, 0);
    // The versions the refreshes replaced keep their (unreferenced) profiles until their own expiry, then go.
    clock.advance(600_000);
    svc.sweep();
    assert.equal(svc.stats().profiles, 0, 'every profile reference was released');
    await svc.close();
  });

  test('a refresh without a TTL makes the decision permanent, in the gate and after a restart', async () => {
    const { svc, clock, dataDir } = await open();
    const b = await svc.add(block(IP, { reason: 'short', ttlMs: 1000 }), 'ops');
    assert.equal(hit(svc)?.expiresAt, clock.now() + 1000);
    await svc.add(block(IP, { reason: 'forever' }), 'ops');
    const m = hit(svc);
    assert.equal(m?.decisionId, b.id);
    assert.equal(m?.expiresAt, undefined);
    clock.advance(5000);
    svc.sweep();
    assert.equal(hit(svc)?.reason, 'forever');
    await svc.close();
    const again = await open(dataDir, clock);
    assert.equal(again.svc.gate.lookup([`ip:${IP}`])?.reason, 'forever');
    assert.equal(again.svc.get(b.id)?.expiresAt, undefined);
    await again.svc.close();
  });

  test('a refresh of a decision that expired but was not swept brings it back under its id, and the sweep keeps it', async () => {
    const { svc, clock, dataDir, seen } = await open();
    const b = await svc.add(block(IP, { reason: 'old', ttlMs: 1000 }), 'ops');
    assert.equal(hit(svc)?.reason, 'old');
    clock.advance(2000);
    assert.equal(hit(svc), undefined);
    const r = await svc.add(block(IP, { reason: 'new', ttlMs: 60_000 }), 'ops');
    assert.equal(r.id, b.id);
    assert.equal(hit(svc)?.reason, 'new');
    assert.equal(svc.sweep(), 0, 'the expired version had no decision left to expire');
    assert.equal(hit(svc)?.reason, 'new');
    assert.equal(svc.get(b.id)?.reason, 'new');
    assert.ok(!seen.some((e) => e.type === 'decision' && e.change === 'expired'));
    await svc.close();
    const again = await open(dataDir, clock);
    assert.equal(again.svc.gate.lookup([`ip:${IP}`])?.reason, 'new');
    clock.advance(60_000);
    again.svc.sweep();
    assert.equal(again.svc.gate.lookup([`ip:${IP}`]), undefined);
    assert.equal(again.svc.count({}), 0);
    await again.svc.close();
  });

  test('removing a refreshed decision by id takes it out; adding the target again makes a new decision', async () => {
    const { svc, clock } = await open();
    const allow = await svc.add(block('198.51.100.0/24', { kind: 'cidr', action: 'allow', reason: 'office' }), 'ops');
    const b = await svc.add(block(IP, { reason: 'b1', ttlMs: 60_000 }), 'ops');
    // The exact block and the covering allow: allow wins over a more specific block.
    assert.equal(hit(svc)?.decisionId, allow.id);
    await svc.add(block(IP, { reason: 'b2', ttlMs: 120_000 }), 'ops');
    await svc.remove(allow.id, 'ops', 'office moved');
    assert.equal(hit(svc)?.reason, 'b2');
    await svc.remove(b.id, 'ops', 'done');
    assert.equal(hit(svc), undefined);
    assert.equal(svc.get(b.id), undefined);
    const again = await svc.add(block(IP, { reason: 'b3' }), 'ops');
    assert.notEqual(again.id, b.id);
    assert.equal(hit(svc)?.decisionId, again.id);
    assert.equal(svc.get(b.id), undefined, 'the old id names nothing');
    clock.advance(200_000);
    svc.sweep();
    assert.equal(hit(svc)?.reason, 'b3');
    await svc.remove(again.id, 'ops', 'done');
    assert.equal(svc.stats().gateEntries, 0);
    assert.equal(svc.stats().profiles, 0);
    await svc.close();
  });

  test('re-imports that move a page of ids between profiles, then removals, leave no profile behind', async () => {
    const { svc, clock } = await open();
    const feed = Array.from({ length: 2500 }, (_, i) => `10.7.${i >> 8}.${i & 255}`);
    await svc.import([Buffer.from(feed.join('\n'))], { format: 'text', reason: 'r0', ttlMs: 3_600_000, by: 'ops' });
    // Interleave manual refreshes (own profiles) with the imported ids, then re-import half the feed twice.
    for (let i = 0; i < 2500; i += 97) await svc.add(block(feed[i]!, { reason: `manual ${i}` }), 'ops');
    for (const round of [1, 2]) {
      clock.advance(60_000);
      const half = feed.filter((_, i) => i % 2 === round - 1);
      await svc.import([Buffer.from(half.join('\n'))], { format: 'text', reason: `r${round}`, ttlMs: 3_600_000, by: 'ops' });
    }
    assert.equal(svc.count({}), 2500);
    for (let i = 0; i < 2500; i += 13) {
      const want = i % 2 === 1 ? 'r2' : 'r1';
      assert.equal(svc.gate.lookup([`ip:${feed[i]}`])?.reason, want, feed[i]);
    }
    const pages = [0, 1, 2];
    assert.ok(pages.some((p) => (svc.gate as GateIndex).ip4.profs.isMixed(p)));
    // A full re-import points every id (the manual ones too: same action) at one profile: uniform pages again.
    clock.advance(60_000);
    await svc.import([Buffer.from(feed.join('\n'))], { format: 'text', reason: 'r3', ttlMs: 3_600_000, by: 'ops' });
    assert.deepEqual(pages.map((p) => (svc.gate as GateIndex).ip4.profs.isMixed(p)), [false, false, false]);
    for (let i = 0; i < 2500; i += 7) assert.equal(svc.gate.lookup([`ip:${feed[i]}`])?.reason, 'r3', feed[i]);
    await svc.removeMatching({ kind: 'ip' }, 'ops', 'clear');
    assert.equal(svc.count({}), 0);
    assert.equal(svc.stats().gateEntries, 0);
    clock.advance(3_600_000);
    svc.sweep();
    assert.equal(svc.stats().profiles, 0);
    for (let i = 0; i < 2500; i += 13) assert.equal(svc.gate.lookup([`ip:${feed[i]}`]), undefined);
    await svc.close();
  });
});
