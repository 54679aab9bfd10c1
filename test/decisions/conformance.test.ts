import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { isPortcullisError } from '../../src/core/errors.ts';
import type { DecisionEvent } from '../../src/events/event.ts';
import { block, dropPrefix, type Node, openNode, REDIS_URL, removeDir, uniquePrefix } from './fixtures.ts';

/**
 * The decision service's contract, run against the embedded store and against the cluster (Redis) store
 * (style rule 7): whatever the mode, add/remove/search/expiry/explain behave the same on one node.
 */
const prefix = uniquePrefix();
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) removeDir(d);
  await dropPrefix(prefix);
});

for (const mode of ['embedded', 'redis'] as const) {
  describe(`decision service conformance (${mode})`, () => {
    let n = 0;
    async function open(clock = new ManualClock()): Promise<Node & { clock: ManualClock }> {
      const node = await openNode({
        clock,
        cluster: mode === 'redis' ? { redisUrl: REDIS_URL, prefix: `${prefix}${n++}:` } : undefined,
      });
      dirs.push(node.dataDir);
      if (mode === 'redis') assert.equal(node.svc.cluster()?.connected, true, 'Redis is reachable for this suite');
      return { ...node, clock };
    }

    test('an added decision blocks at the gate at once and can be fetched by id', async () => {
      const { svc } = await open();
      const d = await svc.add(block('203.0.113.7'), 'ops');
      assert.equal(svc.gate.lookup(['ip:203.0.113.7'])?.decisionId, d.id);
      assert.deepEqual(svc.get(d.id), d);
      await svc.close();
    });

    test('removing a decision takes it out of the gate and the store', async () => {
      const { svc } = await open();
      const d = await svc.add(block('2001:db8::/32'), 'ops');
      await svc.remove(d.id, 'ops', 'false positive');
      assert.equal(svc.gate.lookup(['ip:2001:db8::1']), undefined);
      await assert.rejects(
        svc.remove(d.id, 'ops'),
        (e) => isPortcullisError(e) && e.code === 'PC_ERR_DECISIONS_NOT_FOUND',
      );
      await svc.close();
    });

    test('re-adding the same target and action refreshes it under its id and publishes one refreshed event', async () => {
      const { svc, seen } = await open();
      const first = await svc.add(block('198.51.100.1'), 'ops');
      const second = await svc.add(block('198.51.100.1', { reason: 'again' }), 'ops');
      assert.equal(second.id, first.id);
      assert.equal(svc.count({ value: '198.51.100.1' }), 1);
      assert.equal(svc.gate.lookup(['ip:198.51.100.1'])?.decisionId, second.id);
      const changes = seen
        .filter((e): e is DecisionEvent => e.type === 'decision')
        .map((e) => `${e.change} ${e.decisionId}`);
      assert.deepEqual(changes, [`created ${first.id}`, `refreshed ${first.id}`]);
      const refreshed = seen.find((e): e is DecisionEvent => e.type === 'decision' && e.change === 'refreshed');
      assert.equal(refreshed?.reason, 'again');
      await svc.close();
    });

    test('search filters by source and finds covering CIDRs', async () => {
      const { svc } = await open();
      const r = await svc.import([Buffer.from('10.0.0.0/8\n10.1.0.0/16\n10.1.2.3\n11.0.0.0/8\n')], {
        format: 'text',
        name: 'feed',
        by: 'ops',
      });
      assert.equal(r.accepted, 4);
      assert.deepEqual(
        svc
          .search({ contains: '10.1.2.3' })
          .items.map((d) => d.value)
          .sort(),
        ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3'],
      );
      assert.equal(svc.count({ source: 'import:feed' }), 4);
      assert.equal(await svc.removeMatching({ source: 'import:feed' }, 'ops'), 4);
      assert.equal(svc.gate.lookup(['ip:10.1.2.3']), undefined);
      await svc.close();
    });

    test('an expired decision stops applying and is swept from the store', async () => {
      const { svc, clock } = await open();
      await svc.add(block('192.0.2.9', { ttlMs: 1000 }), 'ops');
      assert.equal(svc.gate.lookup(['ip:192.0.2.9'])?.action, 'block');
      clock.advance(1000);
      assert.equal(svc.gate.lookup(['ip:192.0.2.9']), undefined);
      assert.equal(svc.sweep(), 1);
      assert.equal(svc.count({}), 0);
      await svc.close();
    });

    test('explain lists every applicable decision and marks the winner', async () => {
      const { svc } = await open();
      await svc.add(block('10.0.0.0/8'), 'ops');
      const allow = await svc.add({ ...block('10.1.0.0/16'), action: 'allow', reason: 'vpn' }, 'ops');
      const e = svc.explain('10.1.2.3');
      assert.equal(e?.decisions.length, 2);
      assert.equal(e?.verdict?.decisionId, allow.id);
      assert.equal(e?.decisions[0]?.wins, true);
      assert.match(e?.summary ?? '', /allow wins/);
      await svc.close();
    });
  });
}
