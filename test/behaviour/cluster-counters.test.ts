import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createHarness, send } from '../../src/behaviour/engine-harness.ts';
import { RedisCounterStore } from '../../src/behaviour/redis-counter-store.ts';
import { ManualClock } from '../../src/core/clock.ts';

// Two gateway nodes behind one load balancer share counters through Redis: a stuffing campaign split between
// them stays below every per-node threshold, and is caught once the nodes have synced.
test('a campaign split across two nodes is detected through the shared Redis counters', async () => {
  const clock = new ManualClock();
  const prefix = `pctest:${randomBytes(4).toString('hex')}:`;
  const stores = [0, 1].map(() => new RedisCounterStore({ url: 'redis://127.0.0.1:6379', prefix, clock }));
  try {
    for (let i = 0; i < 100 && !stores.every((s) => s.stats().connected); i++) {
      await Promise.all(stores.map((s) => s.sync()));
      await new Promise((r) => setTimeout(r, 10));
    }
    const nodes = stores.map((counters) => createHarness({}, [], { clock, counters }));
    // 12 failed logins through each node from rotating IPs, each on a new account: below the stack thresholds
    // (20 attempts for stuffing, 15 accounts for spraying) on either node alone.
    for (let i = 0; i < 24; i++) {
      clock.advance(500);
      const spec = { ip: `198.51.100.${i + 1}`, stack: 'tool', method: 'POST', path: '/login', account: `victim${i}` };
      send(nodes[i % 2]!, spec, 401);
      await Promise.all(stores.map((s) => s.sync()));
    }
    const next = { ip: '198.51.100.200', stack: 'tool', method: 'POST', path: '/login', account: 'victim-next' };
    const alone = createHarness({}, [], { clock });
    for (let i = 0; i < 12; i++) send(alone, { ...next, ip: `198.51.100.${i + 1}`, account: `v${i}` }, 401);
    const onTool = (findings: readonly { facets?: readonly string[] | undefined }[]) =>
      findings.some((f) => f.facets?.[0] === 'http:tool');
    assert.equal(onTool(send(alone, next, 401).subject.findings), false, 'one node alone has not seen enough');
    const r = send(nodes[0]!, next, 401);
    assert.ok(onTool(r.subject.findings), JSON.stringify(r.subject.findings));
    // Both series of a ratio agree across nodes: attempts and failures were all failures.
    const spec = { windowMs: 600_000, bucketMs: 30_000 };
    const attempts = stores[1]!.sum({ name: 'login.attempt', ...spec }, 'http:tool', clock.now());
    assert.equal(stores[1]!.sum({ name: 'login.fail', ...spec }, 'http:tool', clock.now()), attempts);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
});
