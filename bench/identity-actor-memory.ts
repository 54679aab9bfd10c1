/**
 * Actor-state memory under a flood of new addresses: N distinct IPs, one request each, all through one
 * client stack (the botnet case), fed straight into the actor graph with the default 512 MB cap.
 * Prints JSON: estimated bytes (what eviction enforces), measured heap (after GC), nodes kept, evictions, µs/request.
 *
 *   node --expose-gc --import tsx bench/identity-actor-memory.ts [ips=5000000] [capMb=512]
 */
import type { Facet } from '../src/core/facet.ts';
import { subnetOf } from '../src/core/ip.ts';
import { ActorGraph } from '../src/identity/actor-graph.ts';

const n = Number(process.argv[2] ?? 5_000_000);
const capMb = Number(process.argv[3] ?? 512);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

gc();
const baseHeap = process.memoryUsage().heapUsed;
const graph = new ActorGraph({
  capBytes: capMb * 1024 * 1024,
  halfLifeMs: 6 * 3_600_000,
  maxLinksPerFacet: 16,
  findingsPerFacet: 8,
});
const stack: Facet[] = ['tls:t13d1516h2_8daaf6152771_02713d6af862', 'http:11tn05_s-gd-n-f0c0_3f1c09a2b4d1'];
let maxHeapMb = 0;
let maxRatio = 0;
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  // 10.0.0.0/8 then 11.0.0.0/8 …: every address distinct.
  const ip = `${10 + (i >>> 24)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
  graph.observe([`ip:${ip}`, `subnet:${subnetOf(ip)}`, stack[0]!, stack[1]!], i);
  if ((i + 1) % 500_000 === 0) {
    gc();
    const heap = (process.memoryUsage().heapUsed - baseHeap) / 1048576;
    maxHeapMb = Math.max(maxHeapMb, heap);
    maxRatio = Math.max(maxRatio, (heap * 1048576) / graph.bytes);
    process.stderr.write(
      `${i + 1} ips: heap +${heap.toFixed(0)} MB, estimate ${(graph.bytes / 1048576).toFixed(0)} MB, nodes ${graph.size}\n`,
    );
  }
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
gc();
console.log(
  JSON.stringify({
    ips: n,
    capMb,
    estimatedMb: Math.round(graph.bytes / 1048576),
    maxHeapAboveBaselineMb: Math.round(maxHeapMb),
    heapToEstimateRatio: Number(maxRatio.toFixed(2)),
    nodesKept: graph.size,
    evicted: graph.evicted,
    usPerRequest: Number(((seconds * 1e6) / n).toFixed(2)),
    underCap: maxHeapMb <= capMb,
  }),
);
