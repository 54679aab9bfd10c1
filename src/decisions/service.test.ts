import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { ManualClock } from '../core/clock.ts';
import { isPortcullisError } from '../core/errors.ts';
import { block, openNode } from '../../test/decisions/fixtures.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function open(dir?: string, clock = new ManualClock()) {
  const node = await openNode({ clock, ...(dir === undefined ? {} : { dataDir: dir }) });
  if (dir === undefined) dirs.push(node.dataDir);
  return { ...node, clock };
}

function lines(...l: string[]) {
  return [Buffer.from(l.join('\n'))];
}

describe('decision service (embedded store)', () => {
  test('an added decision is in the gate at once, published, audited, and back after reopening', async () => {
    const { svc, dataDir, seen } = await open();
    const d = await svc.add(block('203.0.113.7'), 'ops@example');
    assert.equal(svc.gate.lookup(['ip:203.0.113.7'])?.decisionId, d.id);
    assert.equal(seen[0]?.type, 'decision');
    assert.equal(svc.audit().items[0]?.op, 'add');
    await svc.close();
    const again = await open(dataDir);
    assert.equal(again.svc.gate.lookup(['ip:203.0.113.7'])?.decisionId, d.id);
    assert.deepEqual(again.svc.get(d.id), d);
    await again.svc.close();
  });

  test('a malformed decision is refused with a code that names the field', async () => {
    const { svc } = await open();
    await assert.rejects(svc.add(block('300.1.1.1'), 'x'), (e) => isPortcullisError(e) && /value/.test(e.message));
    await assert.rejects(svc.add(block('10.0.0.0/33'), 'x'), (e) => isPortcullisError(e) && /prefix/.test(e.message));
    await assert.rejects(svc.add(block('1.2.3.4', { ttlMs: -5 }), 'x'), /ttlMs/);
    await svc.close();
  });

  test('re-adding the same target and action refreshes the old decision under its id instead of piling up', async () => {
    const { svc } = await open();
    const first = await svc.add(block('198.51.100.1'), 'x');
    const second = await svc.add(block('198.51.100.1', { reason: 'again' }), 'x');
    assert.equal(second.id, first.id);
    assert.equal(svc.count({ value: '198.51.100.1' }), 1);
    assert.equal(svc.gate.lookup(['ip:198.51.100.1'])?.decisionId, second.id);
    await svc.close();
  });

  test('an expiring allow after an unblock lifts the block, then the block returns when the allow expires', async () => {
    const { svc, clock, dataDir } = await open();
    await svc.add(block('192.0.2.44'), 'x');
    const allow = await svc.add({ ...block('192.0.2.44'), action: 'allow', ttlMs: 86_400_000 }, 'x');
    assert.equal(svc.gate.lookup(['ip:192.0.2.44'])?.action, 'allow');
    assert.equal(svc.history('ip', '192.0.2.44').length, 2);
    clock.advance(86_400_000);
    // At the expiry itself, before any sweep: the lookup reads the block back from the SQLite store.
    assert.equal(svc.gate.lookup(['ip:192.0.2.44'])?.action, 'block');
    assert.equal(svc.sweep(), 1);
    assert.equal(svc.gate.lookup(['ip:192.0.2.44'])?.action, 'block');
    assert.equal(svc.get(allow.id), undefined);
    assert.equal(svc.history('ip', '192.0.2.44').length, 1);
    await svc.close();
    const again = await open(dataDir, clock);
    assert.equal(again.svc.gate.lookup(['ip:192.0.2.44'])?.action, 'block');
    await again.svc.close();
  });

  test('removing the allow on a range brings the block under it back at once, and a removed block stays gone', async () => {
    const { svc } = await open();
    const blockD = await svc.add(block('198.51.100.0/24'), 'x');
    const allow = await svc.add({ ...block('198.51.100.0/24'), action: 'allow' }, 'x');
    assert.equal(svc.gate.lookup(['ip:198.51.100.9'])?.decisionId, allow.id);
    await svc.remove(allow.id, 'x');
    assert.equal(svc.gate.lookup(['ip:198.51.100.9'])?.decisionId, blockD.id);
    const allow2 = await svc.add({ ...block('198.51.100.0/24'), action: 'allow' }, 'x');
    await svc.remove(blockD.id, 'x');
    await svc.remove(allow2.id, 'x');
    assert.equal(svc.gate.lookup(['ip:198.51.100.9']), undefined);
    await svc.close();
  });

  test('an expired decision is not loaded back after a restart', async () => {
    const clock = new ManualClock();
    const { svc, dataDir } = await open(undefined, clock);
    await svc.add(block('10.9.9.9', { ttlMs: 1000 }), 'x');
    await svc.close();
    clock.advance(1000);
    const again = await open(dataDir, clock);
    assert.equal(again.svc.gate.lookup(['ip:10.9.9.9']), undefined);
    assert.equal(again.svc.count({}), 0);
    await again.svc.close();
  });

  test('removing by id takes the decision out of the gate and the store', async () => {
    const { svc } = await open();
    const d = await svc.add(block('2001:db8::/32'), 'x');
    assert.equal(svc.gate.lookup(['ip:2001:db8::1'])?.matched, 'cidr:2001:db8::/32');
    await svc.remove(d.id, 'x', 'false positive');
    assert.equal(svc.gate.lookup(['ip:2001:db8::1']), undefined);
    await assert.rejects(svc.remove(d.id, 'x'), (e) => isPortcullisError(e) && e.code === 'PC_ERR_DECISIONS_NOT_FOUND');
    await svc.close();
  });

  test('a text import keeps the good lines and reports each bad one by number', async () => {
    const { svc } = await open();
    const r = await svc.import(
      lines('# header', '203.0.113.1', '10.0.0.0/8  # office', 'not-an-ip', '10.0.0.0/40', '', '::ffff:1.2.3.4'),
      { format: 'text', name: 'feed', by: 'x' },
    );
    assert.equal(r.accepted, 3);
    assert.equal(r.rejected, 2);
    assert.deepEqual(
      r.errors.map((e) => e.line),
      [4, 5],
    );
    assert.equal(svc.gate.lookup(['ip:10.200.0.1'])?.matched, 'cidr:10.0.0.0/8');
    assert.equal(svc.gate.lookup(['ip:1.2.3.4'])?.action, 'block');
    assert.equal(svc.search({ source: 'import:feed' }).items.length, 3);
    await svc.close();
  });

  test('an upload that breaks off keeps the lines read, is audited as failed, and leaves no gate profile behind', async () => {
    const { svc } = await open();
    async function* cut() {
      yield Buffer.from('198.51.100.1\n198.51.100.2\n');
      throw new Error('client went away');
    }
    await assert.rejects(svc.import(cut(), { format: 'text', name: 'cut', action: 'allow', by: 'x' }), /client went away/);
    assert.equal(svc.gate.lookup(['ip:198.51.100.2'])?.action, 'allow');
    const entry = svc.audit().items.find((a) => a.op === 'import');
    assert.match(JSON.stringify(entry?.detail), /"failed":"client went away"/);
    assert.equal(await svc.removeMatching({ source: 'import:cut' }, 'x'), 2);
    // Regression: the import's own reference on its profile was never returned after a failure, so the profile
    // (an allow, here) outlived every decision that used it.
    assert.equal(svc.stats().profiles, 0);
    await svc.close();
  });

  test('a target listed twice in one CSV import ends with the later line, in the gate, the store and after a restart', async () => {
    const { svc, dataDir } = await open();
    const r = await svc.import(
      lines('198.51.100.9,block,,first', '2001:db8::9,block,,first v6', '198.51.100.9,block,,second', '2001:db8::9,block,,second v6'),
      { format: 'csv', by: 'x' },
    );
    assert.equal(r.accepted, 4);
    assert.equal(svc.gate.lookup(['ip:198.51.100.9'])?.reason, 'second');
    assert.equal(svc.gate.lookup(['ip:2001:db8::9'])?.reason, 'second v6');
    assert.deepEqual(
      svc.search({ value: '198.51.100.9' }).items.map((d) => d.reason),
      ['second'],
    );
    await svc.close();
    const again = await open(dataDir);
    assert.equal(again.svc.gate.lookup(['ip:198.51.100.9'])?.reason, 'second');
    assert.equal(again.svc.gate.lookup(['ip:2001:db8::9'])?.reason, 'second v6');
    await again.svc.close();
  });

  test('an overlong line is rejected on its own and the lines around it are kept', async () => {
    const { svc } = await open();
    const long = 'x'.repeat(10_000);
    const r = await svc.import([Buffer.from(`1.1.1.1\n${long}`), Buffer.from(`${long}\n2.2.2.2\n`)], {
      format: 'text',
      by: 'x',
    });
    assert.deepEqual([r.accepted, r.rejected, r.errors[0]?.line], [2, 1, 2]);
    await svc.close();
  });

  test('CSV, Spamhaus DROP, JSON and CrowdSec imports carry their own action, TTL and reason', async () => {
    const { svc, clock } = await open();
    const csv = await svc.import(
      lines('value,action,ttl,reason', '1.1.1.1,allow,1h,"partner, trusted"', '2.2.2.2,,,'),
      {
        format: 'csv',
        by: 'x',
      },
    );
    assert.equal(csv.accepted, 2);
    assert.equal(svc.gate.lookup(['ip:1.1.1.1'])?.expiresAt, clock.now() + 3_600_000);
    assert.equal(svc.gate.lookup(['ip:1.1.1.1'])?.reason, 'partner, trusted');
    const drop = await svc.import(
      lines(
        '; Spamhaus DROP',
        '1.10.16.0/20 ; SBL256894',
        '{"cidr":"2.56.192.0/22","sblid":"SBL459831","rir":"ripencc"}',
      ),
      { format: 'drop', by: 'x' },
    );
    assert.equal(drop.accepted, 2);
    assert.equal(svc.gate.lookup(['ip:2.56.193.1'])?.reason, 'Spamhaus DROP SBL459831');
    const json = await svc.import(
      [Buffer.from('["3.3.3.3", {"value":"tls_abc","kind":"tls","action":"challenge"}, 5]')],
      {
        format: 'json',
        by: 'x',
      },
    );
    assert.deepEqual([json.accepted, json.rejected], [2, 1]);
    assert.equal(svc.gate.lookup(['ip:9.9.9.9', 'tls:tls_abc'])?.action, 'challenge');
    const cs = await svc.import(
      [
        Buffer.from(
          JSON.stringify({
            new: [
              { duration: '3h59m', origin: 'crowdsec', scenario: 'ssh-bf', scope: 'Ip', type: 'ban', value: '4.4.4.4' },
              { duration: '1h', origin: 'cscli', scenario: 'x', scope: 'Country', type: 'ban', value: 'FR' },
            ],
          }),
        ),
      ],
      { format: 'crowdsec', by: 'x' },
    );
    assert.deepEqual([cs.accepted, cs.rejected], [1, 1]);
    assert.equal(svc.gate.lookup(['ip:4.4.4.4'])?.expiresAt, clock.now() + (3 * 60 + 59) * 60_000);
    await svc.close();
  });

  test('search pages with a cursor and "contains" finds the covering CIDRs', async () => {
    const { svc } = await open();
    await svc.import(lines('10.0.0.0/8', '10.1.0.0/16', '10.1.2.3', '11.0.0.0/8'), { format: 'text', by: 'x' });
    const hits = svc.search({ contains: '10.1.2.3' });
    assert.deepEqual(hits.items.map((d) => d.value).sort(), ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3']);
    const p1 = svc.search({}, { limit: 3 });
    assert.equal(p1.items.length, 3);
    const p2 = svc.search({}, { limit: 3, cursor: p1.nextCursor });
    assert.deepEqual(
      p2.items.map((d) => d.value),
      ['10.0.0.0/8'],
    );
    await svc.close();
  });

  test('bulk delete by filter removes exactly what a count reports', async () => {
    const { svc } = await open();
    await svc.import(lines('1.1.1.1', '1.1.1.2', '1.1.1.3'), { format: 'text', name: 'a', by: 'x' });
    await svc.add(block('9.9.9.9'), 'x');
    assert.equal(svc.count({ source: 'import:a' }), 3);
    assert.equal(await svc.removeMatching({ source: 'import:a' }, 'x'), 3);
    assert.equal(svc.gate.lookup(['ip:1.1.1.2']), undefined);
    assert.equal(svc.gate.lookup(['ip:9.9.9.9'])?.action, 'block');
    await assert.rejects(svc.removeMatching({}, 'x'), /empty filter/);
    await svc.close();
  });

  test('exports write plain, nftables, ipset and JSON forms', async () => {
    const { svc } = await open();
    await svc.import(lines('1.1.1.1', '10.0.0.0/8', '2001:db8::/32'), { format: 'text', by: 'x' });
    const read = async (s: NodeJS.ReadableStream) => {
      let out = '';
      for await (const c of s) out += c;
      return out;
    };
    const plain = await read(svc.export({}, 'plain'));
    assert.deepEqual(plain.split('\n').slice(1, 4), ['1.1.1.1', '10.0.0.0/8', '2001:db8::/32']);
    const nft = await read(svc.export({}, 'nftables'));
    assert.match(nft, /set portcullis-v4 \{[\s\S]*elements = \{\n\s+1\.1\.1\.1,\n\s+10\.0\.0\.0\/8\n/);
    assert.match(nft, /type ipv6_addr[\s\S]*2001:db8::\/32/);
    const ipset = await read(svc.export({}, 'ipset'));
    assert.match(ipset, /add portcullis-v6 2001:db8::\/32 -exist/);
    const json = JSON.parse(await read(svc.export({}, 'json'))) as unknown[];
    assert.equal(json.length, 3);
    await svc.close();
  });
});

