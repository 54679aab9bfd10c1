import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { DecisionEvent, SystemEvent } from '../../src/events/event.ts';
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
 * Two (or three) gateway nodes, each with its own data dir, sharing decisions through one Redis under a key
 * prefix unique to this run. What the product promises: a decision made on one node blocks on every node within
 * about a second; a new node blocks what the others block before it reports ready; Redis going away never stops
 * a node from serving or accepting decisions.
 */
const { nodes, prefixes } = clusterTeardown();

function cluster(nodeId?: string, prefix = prefixes[0]!, redisUrl = REDIS_URL) {
  return { redisUrl, prefix, ...(nodeId === undefined ? {} : { nodeId }) };
}

async function start(opts: Parameters<typeof openNode>[0]): Promise<Node> {
  const n = await openNode(opts);
  nodes.push(n);
  return n;
}

describe('cluster mode: decisions shared between nodes through Redis', () => {
  prefixes.push(uniquePrefix());

  test('a block added on node A is seen by node B’s gate within 2 s, and so is its removal', async () => {
    const a = await start({ cluster: cluster('nodeA') });
    const b = await start({ cluster: cluster('nodeB') });
    const d = await a.svc.add(block('203.0.113.50', { evidence: { note: 'scanner' } }), 'ops@a');
    const ms = await within(2000, () => b.svc.gate.lookup(['ip:203.0.113.50'])?.action === 'block', 'B blocks');
    const onB = b.svc.search({ value: '203.0.113.50' }).items[0];
    assert.equal(onB?.source, 'cluster');
    assert.match(onB?.evidence?.note ?? '', /from node nodeA \(manual, cluster id nodeA-\d+\); scanner/);
    assert.equal(onB?.createdBy, 'ops@a');
    const created = b.seen.find((e): e is DecisionEvent => e.type === 'decision' && e.change === 'created');
    assert.equal(created?.source, 'cluster');
    await a.svc.remove(d.id, 'ops@a');
    const gone = await within(2000, () => b.svc.gate.lookup(['ip:203.0.113.50']) === undefined, 'B unblocks');
    assert.equal(b.svc.count({ value: '203.0.113.50' }), 0);
    console.log(`# propagation: add ${ms} ms, remove ${gone} ms`);
  });

  test('a removal made on B of a decision that came from A is removed on A too, without ping-pong', async () => {
    const [a, b] = nodes as [Node, Node];
    await a.svc.add(block('198.51.100.0/24'), 'ops@a');
    await within(2000, () => b.svc.gate.lookup(['ip:198.51.100.7']) !== undefined, 'B has it');
    const onB = b.svc.search({ value: '198.51.100.0/24' }).items[0]!;
    await b.svc.remove(onB.id, 'ops@b');
    await within(2000, () => a.svc.gate.lookup(['ip:198.51.100.7']) === undefined, 'A drops it');
    const r = new Redis(REDIS_URL);
    const len = await r.xlen(`${prefixes[0]}decisions:changes`);
    const field = await r.hexists(`${prefixes[0]}decisions:set`, 'block cidr:198.51.100.0/24');
    r.disconnect();
    // add + remove (test 1), add + remove (here): nothing echoed back by the receiving node.
    assert.equal(len, 4);
    assert.equal(field, 0);
  });

  test('an import on A reaches B in pipelined batches', async () => {
    const [a, b] = nodes as [Node, Node];
    const lines = Array.from({ length: 20_000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.1`).join('\n');
    const r = await a.svc.import([Buffer.from(lines)], { format: 'text', name: 'feed', by: 'ops@a' });
    assert.equal(r.accepted, 20_000);
    const ms = await within(5000, () => b.svc.count({ source: 'cluster' }) === 20_000, 'B has the whole import');
    assert.equal(b.svc.gate.lookup(['ip:10.3.7.1'])?.action, 'block');
    console.log(`# 20,000-line import visible on B after ${ms} ms`);
  });

  test('a node started after the others catches up before it reports ready', async () => {
    const c = await start({ cluster: cluster('nodeC') });
    assert.equal(c.svc.gate.lookup(['ip:10.3.7.1'])?.action, 'block');
    assert.equal(c.svc.count({}), 20_000);
  });

  test('a re-import on A refreshes the same decisions on B and C under their old ids, and so does a single re-add', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    const idOn = (n: Node, v: string) => n.svc.search({ value: v }).items[0]?.id;
    const before = [a, b, c].map((n) => idOn(n, '10.3.7.1'));
    const lines = Array.from({ length: 20_000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.1`).join('\n');
    // A later createdAt than the first import's is what makes peers take it as the newer version.
    await new Promise((r) => setTimeout(r, 5));
    const r = await a.svc.import([Buffer.from(lines)], {
      format: 'text',
      name: 'feed',
      reason: 'feed refreshed',
      ttlMs: 3_600_000,
      by: 'ops@a',
    });
    assert.equal(r.accepted, 20_000);
    for (const n of [b, c]) {
      await within(5000, () => n.svc.gate.lookup(['ip:10.77.3.1'])?.reason === 'feed refreshed', 'peer refreshed');
      await within(5000, () => n.svc.count({ reason: 'feed refreshed' }) === 20_000, 'peer has every refresh');
      assert.equal(n.svc.count({ source: 'cluster' }), 20_000);
    }
    assert.deepEqual(
      [a, b, c].map((n) => idOn(n, '10.3.7.1')),
      before,
    );
    const first = await a.svc.add(block('192.0.2.60', { reason: 'first' }), 'ops@a');
    await within(2000, () => b.svc.gate.lookup(['ip:192.0.2.60'])?.reason === 'first', 'B has it');
    const onB = idOn(b, '192.0.2.60');
    const again = await a.svc.add(block('192.0.2.60', { reason: 'second', ttlMs: 60_000 }), 'ops@a');
    assert.equal(again.id, first.id);
    await within(2000, () => b.svc.gate.lookup(['ip:192.0.2.60'])?.reason === 'second', 'B takes the refresh');
    assert.equal(idOn(b, '192.0.2.60'), onB);
    assert.equal(b.svc.get(onB!)?.expiresAt, again.expiresAt);
  });

  test('the same target re-added on two nodes at once ends as the same decision everywhere', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    await Promise.all([
      a.svc.add(block('192.0.2.77', { reason: 'from a' }), 'ops@a'),
      b.svc.add(block('192.0.2.77', { reason: 'from b' }), 'ops@b'),
    ]);
    const reasons = () => [a, b, c].map((n) => n.svc.gate.lookup(['ip:192.0.2.77'])?.reason);
    await within(2000, () => new Set(reasons()).size === 1 && reasons()[0] !== undefined, `converged: ${reasons()}`);
  });

  test('a restarted node follows the stream from where it stopped', async () => {
    const b = nodes[1]!;
    const dataDir = b.dataDir;
    await b.svc.close();
    await nodes[0]!.svc.add(block('192.0.2.88'), 'ops@a');
    const again = await start({ cluster: cluster('nodeB'), dataDir });
    nodes[1] = again;
    assert.equal(again.svc.gate.lookup(['ip:192.0.2.88'])?.action, 'block');
    assert.equal(again.svc.count({ source: 'cluster' }) >= 20_001, true);
  });
});

describe('cluster mode: Redis unreachable', () => {
  test('a node pointed at a closed port starts, serves and accepts decisions locally, and reports the outage', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const t0 = Date.now();
    const n = await start({ cluster: cluster('lonely', prefix, 'redis://127.0.0.1:1') });
    assert.ok(Date.now() - t0 < 3000, 'start does not hang on an unreachable Redis');
    const outage = n.seen.find((e): e is SystemEvent => e.type === 'system' && e.code === 'PC_ERR_CLUSTER_UNREACHABLE');
    assert.equal(outage?.level, 'warn');
    const d = await n.svc.add(block('203.0.113.99'), 'ops');
    assert.equal(n.svc.gate.lookup(['ip:203.0.113.99'])?.decisionId, d.id);
    assert.equal(n.svc.cluster()?.connected, false);
    assert.equal(n.svc.cluster()?.queued, 1);
    assert.deepEqual(n.svc.stats().cluster, { nodeId: 'lonely', connected: false, queued: 1 });
  });

  test('changes made during an outage are sent when Redis is back, and the node catches up with what it missed', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const proxy = await redisProxy();
    const a = await start({ cluster: cluster('pa', prefix, proxy.url) });
    const b = await start({ cluster: cluster('pb', prefix) });
    assert.equal(a.svc.cluster()?.connected, true);
    await proxy.cut();
    await within(3000, () => a.svc.cluster()?.connected === false, 'A notices the outage');
    const local = await a.svc.add(block('198.51.100.201'), 'ops@a');
    assert.equal(a.svc.gate.lookup(['ip:198.51.100.201'])?.decisionId, local.id);
    await b.svc.add(block('198.51.100.202'), 'ops@b');
    await proxy.restore();
    await within(
      4000,
      () => b.svc.gate.lookup(['ip:198.51.100.201']) !== undefined,
      'B gets what A made while cut off',
    );
    await within(4000, () => a.svc.gate.lookup(['ip:198.51.100.202']) !== undefined, 'A catches up on what it missed');
    assert.equal(a.svc.cluster()?.queued, 0);
    const back = a.seen.filter((e): e is SystemEvent => e.type === 'system' && e.code === 'PC_ERR_CLUSTER_UNREACHABLE');
    assert.deepEqual(
      back.map((e) => e.level),
      ['warn', 'info'],
    );
    await proxy.close();
  });

  test('changes still unsent when a node stops are sent after it restarts', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const proxy = await redisProxy();
    const a = await start({ cluster: cluster('ra', prefix, proxy.url) });
    const b = await start({ cluster: cluster('rb', prefix) });
    await proxy.cut();
    await within(3000, () => a.svc.cluster()?.connected === false, 'A notices the outage');
    await a.svc.add(block('198.18.2.2'), 'ops@a');
    await a.svc.close();
    await proxy.close();
    const again = await start({ cluster: cluster('ra', prefix), dataDir: a.dataDir });
    assert.equal(again.svc.cluster()?.connected, true);
    await within(2000, () => b.svc.gate.lookup(['ip:198.18.2.2']) !== undefined, 'B gets it after A restarts');
  });

  test('a queue overflow while connected resyncs at once instead of leaving the rest unsent', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const a = await start({ cluster: cluster('oa', prefix), config: { clusterQueueMax: 10 } });
    const b = await start({ cluster: cluster('ob', prefix) });
    const lines = Array.from({ length: 50 }, (_, i) => `198.18.0.${i}`).join('\n');
    await a.svc.import([Buffer.from(lines)], { format: 'text', by: 'ops' });
    assert.equal(a.seen.filter((e) => e.type === 'system' && e.code === 'PC_ERR_CLUSTER_QUEUE_FULL').length, 1);
    await within(4000, () => b.svc.count({}) === 50, 'B gets all 50 through the resync');
    await a.svc.add(block('198.18.1.1'), 'ops');
    await within(2000, () => b.svc.gate.lookup(['ip:198.18.1.1']) !== undefined, 'later changes flow again');
  });

  test('a refresh lost in a queue overflow still reaches the other node through the resync', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const a = await start({ cluster: cluster('fa', prefix), config: { clusterQueueMax: 10 } });
    const b = await start({ cluster: cluster('fb', prefix) });
    const lines = Array.from({ length: 50 }, (_, i) => `198.18.4.${i}`).join('\n');
    await a.svc.import([Buffer.from(lines)], { format: 'text', reason: 'old', by: 'ops' });
    await within(4000, () => b.svc.count({ reason: 'old' }) === 50, 'B has the first import');
    await new Promise((r) => setTimeout(r, 5));
    // Same targets: A keeps their ids, so the set already holds their cluster ids, with the old content.
    await a.svc.import([Buffer.from(lines)], { format: 'text', reason: 'new', by: 'ops' });
    await within(4000, () => b.svc.count({ reason: 'new' }) === 50, 'B gets every refreshed decision');
    assert.equal(b.svc.count({}), 50);
  });

  test('a full queue is reported once, and the node resends its whole set when Redis is back', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const proxy = await redisProxy();
    const a = await start({ cluster: cluster('qa', prefix, proxy.url), config: { clusterQueueMax: 10 } });
    await proxy.cut();
    await within(3000, () => a.svc.cluster()?.connected === false, 'A notices the outage');
    const lines = Array.from({ length: 50 }, (_, i) => `192.0.2.${i}`).join('\n');
    await a.svc.import([Buffer.from(lines)], { format: 'text', by: 'ops' });
    const full = a.seen.filter((e): e is SystemEvent => e.type === 'system' && e.code === 'PC_ERR_CLUSTER_QUEUE_FULL');
    assert.equal(full.length, 1);
    assert.equal(full[0]?.level, 'error');
    await proxy.restore();
    const b = await start({ cluster: cluster('qb', prefix) });
    await within(4000, () => b.svc.count({}) === 50, 'B gets the whole set A resent');
    await proxy.close();
  });
});
