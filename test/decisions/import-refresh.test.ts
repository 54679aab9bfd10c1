import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { DecisionEvent } from '../../src/events/event.ts';
import { block, openNode, removeDir } from './fixtures.ts';

/**
 * An import writes each (kind, profile) group with one INSERT when every value is new; a stored value makes that
 * INSERT fail part-way, the savepoint takes back the rows it wrote, and the group is written by lookup instead.
 * Both paths must leave the same decisions, one row per target, stored targets under their old ids and new ones
 * under fresh consecutive ids. Search pages are by id, so refreshes between pages neither skip nor repeat a row.
 */
const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

async function open() {
  const clock = new ManualClock(1_700_000_000_000);
  const node = await openNode({ clock });
  dirs.push(node.dataDir);
  return { ...node, clock };
}

const FEED = [
  ...Array.from({ length: 1200 }, (_, i) => `10.20.${i >> 8}.${i & 255}`),
  ...Array.from({ length: 300 }, (_, i) => `172.${20 + (i >> 8)}.${i & 255}.0/24`),
  ...Array.from({ length: 100 }, (_, i) => `2001:db8:20::${(i + 1).toString(16)}`),
];
const kindOf = (v: string) => (v.includes('/') ? 'cidr' : 'ip');

describe('imports over stored decisions', () => {
  test('the fallback after a failed all-new INSERT leaves what a first import leaves, stored targets keeping their ids', async () => {
    const fresh = await open();
    const mixed = await open();
    const opts = { format: 'text' as const, name: 'feed', reason: 'feed', ttlMs: 3_600_000, by: 'ops' };
    // In `mixed`, every 7th target is stored first, so each group's all-new INSERT fails somewhere in the middle.
    const stored = new Map<string, string>();
    for (let i = 3; i < FEED.length; i += 7) {
      const v = FEED[i]!;
      stored.set(v, (await mixed.svc.add(block(v, { reason: 'manual' }), 'ops')).id);
    }
    const before = mixed.svc.count({});
    assert.equal((await fresh.svc.import([Buffer.from(FEED.join('\n'))], opts)).accepted, FEED.length);
    assert.equal((await mixed.svc.import([Buffer.from(FEED.join('\n'))], opts)).accepted, FEED.length);
    for (const n of [fresh, mixed]) {
      assert.equal(n.svc.count({}), FEED.length, 'one row per target, none left over from a rolled-back INSERT');
      assert.equal(n.svc.count({ reason: 'feed' }), FEED.length);
    }
    const newIds: number[] = [];
    for (const v of FEED) {
      const f = fresh.svc.search({ kind: kindOf(v), value: v }).items;
      const m = mixed.svc.search({ kind: kindOf(v), value: v }).items;
      assert.equal(m.length, 1, v);
      assert.deepEqual(
        [m[0]!.reason, m[0]!.expiresAt, m[0]!.source],
        [f[0]!.reason, f[0]!.expiresAt, f[0]!.source],
        v,
      );
      const probe = v.includes('/') ? v.replace(/0\/24$/, '9') : v;
      assert.equal(mixed.svc.gate.lookup([`ip:${probe}`])?.decisionId, m[0]!.id, v);
      const was = stored.get(v);
      if (was !== undefined) assert.equal(m[0]!.id, was, `${v} keeps its id`);
      else newIds.push(Number(m[0]!.id.slice(1)));
    }
    newIds.sort((x, y) => x - y);
    assert.equal(newIds.length, FEED.length - before);
    assert.deepEqual(
      newIds,
      Array.from({ length: newIds.length }, (_, i) => before + 1 + i),
      'new targets take consecutive fresh ids',
    );
    await fresh.svc.close();
    await mixed.svc.close();
  });

  test('paging a search while the feed is re-imported between pages returns every decision once', async () => {
    const { svc, clock } = await open();
    const opts = (n: number) => ({ format: 'text' as const, name: 'feed', reason: `r${n}`, ttlMs: 3_600_000, by: 'ops' });
    await svc.import([Buffer.from(FEED.join('\n'))], opts(0));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 1; ; page++) {
      const r = svc.search({ source: 'import:feed' }, { limit: 250, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...r.items.map((d) => d.id));
      if (r.nextCursor === undefined) break;
      cursor = r.nextCursor;
      clock.advance(1000);
      await svc.import([Buffer.from(FEED.join('\n'))], opts(page));
    }
    assert.equal(seen.length, FEED.length);
    assert.equal(new Set(seen).size, FEED.length);
    await svc.close();
  });
  test('a re-import publishes refreshed for the targets it kept and created for the new ones, one event each', async () => {
    const { svc, seen } = await open();
    const opts = { format: 'text' as const, name: 'feed', by: 'ops' };
    await svc.import([Buffer.from('192.0.2.1\n192.0.2.2\n')], opts);
    const before = seen.length;
    await svc.import([Buffer.from('192.0.2.2\n192.0.2.3\n192.0.2.1\n')], opts);
    const changes = seen
      .slice(before)
      .filter((e): e is DecisionEvent => e.type === 'decision')
      .map((e) => `${e.change} ${e.target}`)
      .sort();
    assert.deepEqual(changes, ['created ip:192.0.2.3', 'refreshed ip:192.0.2.1', 'refreshed ip:192.0.2.2']);
    await svc.close();
  });
});
