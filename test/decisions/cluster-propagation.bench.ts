// Cluster propagation figures for docs/decisions.md ("Cluster mode"): two nodes import N lines on A and wait for B,
// then a third node joins and snapshots. Needs Redis at PORTCULLIS_TEST_REDIS_URL (default 127.0.0.1:6379).
// Run: node --import tsx test/decisions/cluster-propagation.bench.ts 1000000
import { dropPrefix, openNode, REDIS_URL, removeDir, uniquePrefix, within } from './fixtures.ts';

const N = Number(process.argv[2] ?? 200_000);
const prefix = uniquePrefix();
const a = await openNode({ cluster: { redisUrl: REDIS_URL, prefix, nodeId: 'a' } });
const b = await openNode({ cluster: { redisUrl: REDIS_URL, prefix, nodeId: 'b' } });
const lines = Array.from({ length: N }, (_, i) => `${10 + (i >>> 16)}.${(i >> 8) & 255}.${i & 255}.1`).join('\n');
const t0 = Date.now();
const r = await a.svc.import([Buffer.from(lines)], { format: 'text', by: 'bench' });
const t1 = Date.now();
await within(600_000, () => a.svc.cluster()!.queued === 0, 'pushed');
const t2 = Date.now();
await within(600_000, () => b.svc.count({ source: 'cluster' }) === N, 'B has all');
const t3 = Date.now();
const c = await openNode({ cluster: { redisUrl: REDIS_URL, prefix, nodeId: 'c' } });
const t4 = Date.now();
console.log(
  JSON.stringify({
    lines: N,
    accepted: r.accepted,
    localImportMs: t1 - t0,
    pushedMs: t2 - t0,
    allOnBMs: t3 - t0,
    newNodeReadyMs: t4 - t3,
    newNodeCount: c.svc.count({}),
  }),
);
for (const n of [a, b, c]) {
  await n.svc.close();
  removeDir(n.dataDir);
}
await dropPrefix(prefix);
