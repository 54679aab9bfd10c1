import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { isPortcullisError } from '../../src/core/errors.ts';
import { block, embeddedOpener } from './fixtures.ts';
import { startHarness } from './harness.ts';

/**
 * Ids on re-add. A feed refreshed hourly re-adds the same targets every hour; if each re-add took a new id, a
 * 10 M-entry feed would use 240 M ids a day and pass the gate's uint32 ids in about 18 days. A re-add keeps the
 * decision's id and refreshes its reason, expiry and evidence; allocation past d4294967295 is refused loudly.
 */
const open = embeddedOpener();

function maxId(dataDir: string): number {
  const db = new Database(join(dataDir, 'decisions.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT max(id) AS m FROM decisions').get() as { m: number }).m;
  } finally {
    db.close();
  }
}

/** A feed with every kind the importer stages differently: v4 addresses, v4 prefixes, v6, and one repeated line. */
const FEED = [
  ...Array.from({ length: 3000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.9`),
  ...Array.from({ length: 500 }, (_, i) => `172.${16 + (i >> 8)}.${i & 255}.0/24`),
  ...Array.from({ length: 200 }, (_, i) => `2001:db8::${(i + 1).toString(16)}`),
  '10.0.0.9',
].join('\n');

describe('decision ids on re-add', () => {
  test('re-importing the same list five times keeps every id and max(id) where the first import left it', async () => {
    const { svc, clock, dataDir } = await open();
    const opts = (n: number) => ({ format: 'text' as const, name: 'feed', reason: `round ${n}`, ttlMs: 7_200_000, by: 'ops' });
    const r = await svc.import([Buffer.from(FEED)], opts(0));
    assert.equal(r.accepted, 3701);
    const ids = (): string[] => svc.search({ source: 'import:feed' }, { limit: 1000 }).items.map((d) => d.id);
    const firstIds = ids();
    const firstMax = maxId(dataDir);
    assert.equal(svc.count({}), 3700);
    for (let n = 1; n <= 5; n++) {
      clock.advance(3_600_000);
      await svc.import([Buffer.from(FEED)], opts(n));
      assert.equal(maxId(dataDir), firstMax, `max(id) after re-import ${n}`);
      assert.equal(svc.count({}), 3700);
      assert.equal(svc.count({ reason: `round ${n}` }), 3700);
    }
    assert.deepEqual(ids(), firstIds);
    for (const ip of ['10.0.0.9', '172.17.3.77', '2001:db8::c8']) {
      const m = svc.gate.lookup([`ip:${ip}`]);
      assert.equal(m?.reason, 'round 5', ip);
      assert.equal(m?.expiresAt, clock.now() + 7_200_000, ip);
    }
    // The first import's expiry is long past; only the refreshed expiry counts, in the gate and after a restart.
    assert.equal(svc.sweep(), 0);
    assert.equal(svc.stats().gateEntries, 3700);
    await svc.close();
    const again = await open(dataDir, clock);
    assert.equal(again.svc.stats().loadedAtStart, 3700);
    assert.equal(again.svc.gate.lookup(['ip:10.11.183.9'])?.reason, 'round 5');
    clock.advance(7_200_000);
    again.svc.sweep();
    assert.equal(again.svc.stats().gateEntries, 0);
    assert.equal(again.svc.count({}), 0);
    await again.svc.close();
  });

  test('a target listed twice in one import with different reasons ends as one decision with the later line', async () => {
    // 10.9.9.1 comes first in address order, so the group of the later line's profile is written first.
    const { svc, dataDir } = await open();
    const csv = ['10.9.9.9,block,,first', '10.9.9.1,block,,second', '10.9.9.9,block,,second', 'fe80::9,block,,a'];
    const r = await svc.import([Buffer.from([...csv, 'fe80::9,block,,b'].join('\n'))], { format: 'csv', by: 'ops' });
    assert.equal(r.accepted, 5);
    assert.equal(svc.count({}), 3);
    assert.equal(svc.gate.lookup(['ip:10.9.9.9'])?.reason, 'second');
    assert.equal(svc.gate.lookup(['ip:fe80::9'])?.reason, 'b');
    assert.equal(maxId(dataDir), 3);
    await svc.close();
  });

  test('a re-add keeps its id; the gate, search and explain show the new reason and TTL, and it expires then', async () => {
    const { svc, clock } = await open();
    const first = await svc.add(block('198.51.100.20', { reason: 'first', ttlMs: 60_000 }), 'ops');
    // Ask the gate first, so an answer for this id is cached (gate.ts) before the refresh.
    assert.equal(svc.gate.lookup(['ip:198.51.100.20'])?.reason, 'first');
    clock.advance(30_000);
    const second = await svc.add(block('198.51.100.20', { reason: 'second', ttlMs: 600_000 }), 'ops');
    assert.equal(second.id, first.id);
    const m = svc.gate.lookup(['ip:198.51.100.20']);
    assert.equal(m?.reason, 'second');
    assert.equal(m?.expiresAt, clock.now() + 600_000);
    assert.equal(svc.get(first.id)?.reason, 'second');
    assert.deepEqual(
      svc.search({ value: '198.51.100.20' }).items.map((d) => [d.id, d.reason]),
      [[first.id, 'second']],
    );
    const x = svc.explain('198.51.100.20');
    assert.equal(x?.decisions.length, 1);
    assert.equal(x?.decisions[0]?.wins, true);
    assert.equal(x?.decisions[0]?.decision.reason, 'second');
    clock.advance(60_000);
    svc.sweep();
    assert.equal(svc.gate.lookup(['ip:198.51.100.20'])?.reason, 'second', 'the first TTL no longer applies');
    clock.advance(600_000);
    svc.sweep();
    assert.equal(svc.gate.lookup(['ip:198.51.100.20']), undefined);
    assert.equal(svc.get(first.id), undefined);
    await svc.close();
  });

  test('through the admin API a re-add answers with the same id and GET shows the refreshed decision', async () => {
    const h = await startHarness();
    try {
      const post = async (reason: string) => {
        const res = await request(`${h.url}/api/v1/decisions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ value: '203.0.113.61', ttl: '1h', reason }),
        });
        assert.equal(res.statusCode, 201);
        return (await res.body.json()) as { id: string };
      };
      const a = await post('probe');
      const b = await post('probe, confirmed');
      assert.equal(b.id, a.id);
      const res = await request(`${h.url}/api/v1/decisions/${a.id}`, {
        headers: { authorization: `Bearer ${h.token}` },
      });
      const got = (await res.body.json()) as { reason: string };
      assert.equal(got.reason, 'probe, confirmed');
      assert.equal(maxId(h.dataDir), Number(a.id.slice(1)));
    } finally {
      await h.close();
    }
  });

  test('a new id past d4294967295 is refused loudly; nothing is written and re-adds still work', async () => {
    const first = await open();
    const dataDir = first.dataDir;
    await first.svc.add(block('192.0.2.1'), 'ops');
    await first.svc.close();
    // A store whose ids are near the top of uint32: a decision written straight into the file.
    const db = new Database(join(dataDir, 'decisions.sqlite'));
    const profile = db.prepare('SELECT profile FROM decisions').get() as { profile: number };
    db.prepare("INSERT INTO decisions (id, kind, value, action, profile) VALUES (4294967294, 0, '192.0.2.2', ?, ?)").run(
      (db.prepare('SELECT action FROM decisions WHERE id = 1').get() as { action: number }).action,
      profile.profile,
    );
    db.close();
    const { svc } = await open(dataDir, first.clock);
    assert.equal(svc.gate.lookup(['ip:192.0.2.2'])?.decisionId, 'd4294967294');
    const last = await svc.add(block('192.0.2.3'), 'ops');
    assert.equal(last.id, 'd4294967295');
    assert.equal(svc.gate.lookup(['ip:192.0.2.3'])?.decisionId, 'd4294967295');
    const exhausted = (e: unknown) => isPortcullisError(e) && e.code === 'PC_ERR_DECISIONS_IDS_EXHAUSTED';
    await assert.rejects(svc.add(block('192.0.2.4'), 'ops'), exhausted);
    await assert.rejects(
      svc.import([Buffer.from('192.0.2.5\n192.0.2.6\n')], { format: 'text', by: 'ops' }),
      exhausted,
    );
    assert.equal(svc.count({}), 3);
    assert.equal(svc.gate.lookup(['ip:192.0.2.4']), undefined);
    assert.equal(svc.gate.lookup(['ip:192.0.2.5']), undefined);
    // Refreshing what is stored needs no new id.
    const refreshed = await svc.add(block('192.0.2.2', { reason: 'still bad' }), 'ops');
    assert.equal(refreshed.id, 'd4294967294');
    const r = await svc.import([Buffer.from('192.0.2.1\n192.0.2.3\n')], { format: 'text', reason: 'feed', by: 'ops' });
    assert.equal(r.accepted, 2);
    assert.equal(svc.gate.lookup(['ip:192.0.2.3'])?.reason, 'feed');
    assert.equal(svc.gate.lookup(['ip:192.0.2.3'])?.decisionId, 'd4294967295');
    assert.equal(maxId(dataDir), 4294967295);
    await svc.close();
  });
  test('an id is never given to a second target: the newest deleted or expired, then a restart, then a new add', async () => {
    const first = await open();
    const dataDir = first.dataDir;
    const a = await first.svc.add(block('192.0.2.10'), 'ops');
    const b = await first.svc.add(block('192.0.2.11'), 'ops');
    await first.svc.remove(b.id, 'ops', 'mistake');
    await first.svc.close();
    const second = await open(dataDir, first.clock);
    const c = await second.svc.add(block('192.0.2.12', { ttlMs: 1000 }), 'ops');
    assert.notEqual(c.id, b.id, 'the deleted newest id named 192.0.2.11 in the audit log');
    assert.equal(c.id, `d${Number(b.id.slice(1)) + 1}`);
    // Newest by import, then expired; the restart's sweep deletes the rows before the store counts ids.
    const r = await second.svc.import([Buffer.from('192.0.2.20\n192.0.2.21\n')], { format: 'text', ttlMs: 1000, by: 'ops' });
    assert.equal(r.accepted, 2);
    await second.svc.close();
    first.clock.advance(2000);
    const third = await open(dataDir, first.clock);
    assert.equal(third.svc.count({}), 1);
    const d = await third.svc.add(block('192.0.2.13'), 'ops');
    assert.equal(d.id, `d${Number(c.id.slice(1)) + 3}`);
    const e = await third.svc.import([Buffer.from('192.0.2.30\n')], { format: 'text', by: 'ops' });
    assert.equal(e.accepted, 1);
    assert.equal(third.svc.gate.lookup(['ip:192.0.2.30'])?.decisionId, `d${Number(d.id.slice(1)) + 1}`);
    assert.equal(third.svc.get(a.id)?.value, '192.0.2.10');
    await third.svc.close();
  });
});
