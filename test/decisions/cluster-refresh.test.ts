import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { DecisionEvent } from '../../src/events/event.ts';
import {
  block,
  clusterTeardown,
  type Node,
  openNode,
  REDIS_URL,
  redisProxy,
  uniquePrefix,
  within,
} from './fixtures.ts';

/**
 * Refreshes in cluster mode (real Redis). A re-add keeps its cluster id, so only createdAt tells versions apart:
 * a removal naming the old version must not take out a refresh made meanwhile on another node, whatever order
 * Redis and the peers see the two in, and a refresh made while a node is cut off must reach it when it is back.
 * Every case ends with both nodes and the shared set agreeing.
 */
const { nodes, prefixes } = clusterTeardown();

async function pair(proxyB?: string): Promise<{ a: Node; b: Node; prefix: string }> {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const a = await openNode({ cluster: { redisUrl: REDIS_URL, prefix, nodeId: 'ra' } });
  nodes.push(a);
  const b = await openNode({ cluster: { redisUrl: proxyB ?? REDIS_URL, prefix, nodeId: 'rb' } });
  nodes.push(b);
  return { a, b, prefix };
}

async function sharedReason(prefix: string, field: string): Promise<string | undefined> {
  const r = new Redis(REDIS_URL);
  try {
    const v = await r.hget(`${prefix}decisions:set`, field);
    return v === null ? undefined : (JSON.parse(v) as { r: string }).r;
  } finally {
    r.disconnect();
  }
}

const idOn = (n: Node, v: string) => n.svc.search({ value: v }).items[0]?.id;
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('cluster mode: refreshes against removals and outages', () => {
  test('a refresh on A and a removal of the old version on B at once: the refresh stays on both and in Redis', async () => {
    const { a, b, prefix } = await pair();
    for (const [i, order] of (['remove first', 'refresh first'] as const).entries()) {
      const ip = `203.0.113.${140 + i}`;
      await a.svc.add(block(ip, { reason: 'old', ttlMs: 600_000 }), 'ops@a');
      await within(2000, () => b.svc.gate.lookup([`ip:${ip}`])?.reason === 'old', 'B has it');
      const onB = idOn(b, ip)!;
      await tick();
      const refresh = () => a.svc.add(block(ip, { reason: 'refreshed', ttlMs: 900_000 }), 'ops@a');
      const remove = () => b.svc.remove(onB, 'ops@b', 'stale');
      if (order === 'remove first') await Promise.all([remove(), refresh()]);
      else await Promise.all([refresh(), remove()]);
      await within(3000, () => b.svc.gate.lookup([`ip:${ip}`])?.reason === 'refreshed', `B takes the refresh (${order})`);
      // Give the removal time to reach A; it names the old version, so A keeps its refresh.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(a.svc.gate.lookup([`ip:${ip}`])?.reason, 'refreshed', order);
      assert.equal(a.svc.count({ value: ip }), 1);
      assert.equal(b.svc.count({ value: ip }), 1);
      assert.equal(await sharedReason(prefix, `block ip:${ip}`), 'refreshed', order);
    }
  });

  test('a removal after a refresh removes the refreshed version everywhere', async () => {
    const { a, b, prefix } = await pair();
    const ip = '203.0.113.150';
    const first = await a.svc.add(block(ip, { reason: 'old' }), 'ops@a');
    await within(2000, () => b.svc.gate.lookup([`ip:${ip}`])?.reason === 'old', 'B has it');
    await tick();
    await a.svc.add(block(ip, { reason: 'new' }), 'ops@a');
    await within(2000, () => b.svc.gate.lookup([`ip:${ip}`])?.reason === 'new', 'B has the refresh');
    const onB = b.seen
      .filter((e): e is DecisionEvent => e.type === 'decision' && e.target === `ip:${ip}`)
      .map((e) => `${e.change} ${e.decisionId} ${e.reason}`);
    assert.deepEqual(onB, [`created ${idOn(b, ip)} old`, `refreshed ${idOn(b, ip)} new`]);
    await b.svc.remove(idOn(b, ip)!, 'ops@b', 'done');
    await within(2000, () => a.svc.gate.lookup([`ip:${ip}`]) === undefined, 'A drops the refreshed version');
    assert.equal(a.svc.get(first.id), undefined);
    assert.equal(await sharedReason(prefix, `block ip:${ip}`), undefined);
    // Added again: a new decision with a new id on A, and B gets it.
    const again = await a.svc.add(block(ip, { reason: 'back' }), 'ops@a');
    assert.notEqual(again.id, first.id);
    await within(2000, () => b.svc.gate.lookup([`ip:${ip}`])?.reason === 'back', 'B has the new one');
  });

  test('a refresh made while B is cut off, and B removing the old version meanwhile, converge on the refresh', async () => {
    const proxy = await redisProxy();
    try {
      const { a, b, prefix } = await pair(proxy.url);
      const kept = '198.18.9.1';
      const shortened = '198.18.9.2';
      await a.svc.add(block(kept, { reason: 'old' }), 'ops@a');
      await a.svc.add(block(shortened, { reason: 'old' }), 'ops@a');
      await within(2000, () => b.svc.gate.lookup([`ip:${shortened}`])?.reason === 'old', 'B has both');
      await proxy.cut();
      await within(3000, () => b.svc.cluster()?.connected === false, 'B notices the outage');
      await tick();
      await a.svc.add(block(kept, { reason: 'refreshed' }), 'ops@a');
      await a.svc.add(block(shortened, { reason: 'refreshed', ttlMs: 120_000 }), 'ops@a');
      await b.svc.remove(idOn(b, kept)!, 'ops@b', 'stale');
      assert.equal(b.svc.gate.lookup([`ip:${kept}`]), undefined);
      await proxy.restore();
      await within(5000, () => b.svc.gate.lookup([`ip:${kept}`])?.reason === 'refreshed', 'B catches up (kept)');
      await within(5000, () => b.svc.gate.lookup([`ip:${shortened}`])?.reason === 'refreshed', 'B catches up');
      assert.ok((b.svc.gate.lookup([`ip:${shortened}`])?.expiresAt ?? 0) > Date.now());
      await within(3000, () => b.svc.cluster()?.queued === 0, 'B sent its removal');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(a.svc.gate.lookup([`ip:${kept}`])?.reason, 'refreshed', 'the late removal named the old version');
      assert.equal(await sharedReason(prefix, `block ip:${kept}`), 'refreshed');
      for (const n of [a, b]) assert.equal(n.svc.count({ reason: 'refreshed' }), 2);
    } finally {
      await proxy.close();
    }
  });
  test('a refresh made while cut off, of a decision whose old version expired meanwhile, is in the shared set after the resync', async () => {
    const proxy = await redisProxy();
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const a = await openNode({ cluster: { redisUrl: proxy.url, prefix, nodeId: 'sa' } });
    const ip = '198.18.9.30';
    await a.svc.add(block(ip, { reason: 'old', ttlMs: 1500 }), 'ops@a');
    for (let i = 0; i < 100 && (await sharedReason(prefix, `block ip:${ip}`)) !== 'old'; i++) await tick();
    assert.equal(await sharedReason(prefix, `block ip:${ip}`), 'old');
    await proxy.cut();
    await within(3000, () => a.svc.cluster()?.connected === false, 'A notices the outage');
    await a.svc.add(block(ip, { reason: 'refreshed' }), 'ops@a');
    await a.svc.close();
    await proxy.close();
    await new Promise((r) => setTimeout(r, 1600));
    // Restarted with an unsent change: a snapshot sees the expired old version, pushes the refresh, then prunes.
    const again = await openNode({ cluster: { redisUrl: REDIS_URL, prefix, nodeId: 'sa' }, dataDir: a.dataDir });
    nodes.push(again);
    await within(3000, () => again.svc.cluster()?.queued === 0, 'A sent what it had');
    assert.equal(await sharedReason(prefix, `block ip:${ip}`), 'refreshed');
    const b = await openNode({ cluster: { redisUrl: REDIS_URL, prefix, nodeId: 'sb' } });
    nodes.push(b);
    assert.equal(b.svc.gate.lookup([`ip:${ip}`])?.reason, 'refreshed', 'a new node gets it from the set');
  });
  test('a re-import on A refreshes a decision B stamped with a clock running ahead, on both nodes', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const a = await openNode({ cluster: { redisUrl: REDIS_URL, prefix, nodeId: 'ka' } });
    nodes.push(a);
    const ahead = { now: () => Date.now() + 10_000 };
    const b = await openNode({ cluster: { redisUrl: REDIS_URL, prefix, nodeId: 'kb' }, clock: ahead });
    nodes.push(b);
    const ip = '198.18.9.40';
    await b.svc.add(block(ip, { reason: 'from b' }), 'ops@b');
    await within(2000, () => a.svc.gate.lookup([`ip:${ip}`])?.reason === 'from b', 'A has it');
    const r = await a.svc.import([Buffer.from(`${ip}\n`)], { format: 'text', reason: 'feed', by: 'ops@a' });
    assert.equal(r.accepted, 1);
    assert.equal(a.svc.gate.lookup([`ip:${ip}`])?.reason, 'feed');
    await within(3000, () => b.svc.gate.lookup([`ip:${ip}`])?.reason === 'feed', 'B takes the refresh');
    assert.equal(await sharedReason(prefix, `block ip:${ip}`), 'feed');
  });
});
