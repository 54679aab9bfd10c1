import { releaseHeapAfterBulk } from '../core/heap-release.ts';
import type { RedisWithScripts } from './cluster-transport.ts';
import { applyRemoteAdds, applyRemoteDels } from './cluster-apply.ts';
import type { LocalChange, WireAdd, WireDel } from './cluster-wire.ts';
import { originOf, toWire } from './cluster-wire.ts';
import type { DecisionCore } from './core.ts';

/**
 * Full resynchronisation with the shared set, for a node that is new, found a gap in the change stream, or lost
 * changes of its own (queue overflow, restart while Redis was away). Returns the stream id to follow from.
 *
 *   1. note the stream's newest id (changes after it are replayed afterwards; applying twice is harmless)
 *   2. HSCAN the set 1,000 fields at a time: others' decisions → applied (last writer wins, cluster-apply.ts);
 *      ours that we no longer hold → removed from the set; expired ones → pruned from the set
 *   3. decisions from other nodes that the set no longer has → removed here (they were removed while we were away)
 *   4. decisions made here that the set lacks, or holds an older version of (refreshed here) → pushed
 * Seen cluster ids go into a temp table, so 10 M entries cost SQLite pages, not a JS Set.
 */
export async function snapshot(
  rep: { readonly nodeId: string; send(change: LocalChange): Promise<void> },
  core: DecisionCore,
  cmd: RedisWithScripts,
  set: string,
  stream: string,
): Promise<string> {
  const top = (await cmd.xrevrange(stream, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
  const db = core.store.db;
  db.exec('CREATE TEMP TABLE IF NOT EXISTS cluster_seen (g TEXT PRIMARY KEY); DELETE FROM cluster_seen;');
  const seen = db.prepare('INSERT OR IGNORE INTO cluster_seen (g) SELECT value FROM json_each(?)');
  const now = core.clock.now();
  const staleOwn: WireDel[] = [];
  const refreshedOwn: WireAdd[] = [];
  const expired: string[] = [];
  let cursor = '0';
  const byNode = new Map<string, WireAdd[]>();
  let pending = 0;
  let scanned = 0;
  do {
    const [next, kv] = await cmd.hscan(set, cursor, 'COUNT', 1000);
    cursor = next;
    const gids: string[] = [];
    for (let i = 0; i + 1 < kv.length; i += 2) {
      let w: WireAdd;
      try {
        w = JSON.parse(kv[i + 1]!) as WireAdd;
      } catch {
        continue;
      }
      if (w.e !== undefined && w.e <= now) {
        expired.push(kv[i]!, w.g, String(w.t));
        continue;
      }
      gids.push(w.g);
      const node = originOf(w.g);
      if (node === rep.nodeId) {
        const cur = core.store.byKey(w.k, w.v, w.a);
        if (cur === undefined || cur.gid !== null || `${node}-${cur.d.id.slice(1)}` !== w.g) {
          staleOwn.push({ g: w.g, k: w.k, v: w.v, a: w.a, t: w.t });
        } else if (cur.d.createdAt > w.t && (cur.d.expiresAt === undefined || cur.d.expiresAt > now)) {
          // Refreshed here (same id, so same cluster id) after the set's version: the set needs ours.
          refreshedOwn.push(toWire(cur.d, w.g));
        }
        continue;
      }
      let list = byNode.get(node);
      if (list === undefined) byNode.set(node, (list = []));
      list.push(w);
    }
    seen.run(JSON.stringify(gids));
    pending += gids.length;
    scanned += kv.length / 2;
    // Applied 20,000 at a time: one transaction (one fsync) each, not one per HSCAN page.
    if (pending >= 20_000 || cursor === '0') {
      for (const [node, items] of byNode) applyRemoteAdds(core, node, items);
      byNode.clear();
      pending = 0;
    }
  } while (cursor !== '0');

  const gone = new Map<string, WireDel[]>();
  for (const r of core.store.unseenRemote()) {
    const node = originOf(r.gid);
    let list = gone.get(node);
    if (list === undefined) gone.set(node, (list = []));
    list.push({ g: r.gid, k: r.kind, v: r.value, a: r.action });
  }
  for (const [node, items] of gone) applyRemoteDels(core, node, items);

  let after = 0;
  for (;;) {
    const page = core.store.unseenOwn(rep.nodeId, now, after, 10_000);
    if (page.length === 0) break;
    after = Number(page[page.length - 1]!.id.slice(1));
    await rep.send({
      op: 'add',
      items: page.map((d) => toWire(d, `${rep.nodeId}-${d.id.slice(1)}`)),
    });
  }
  if (refreshedOwn.length > 0) await rep.send({ op: 'add', items: refreshedOwn });
  if (staleOwn.length > 0) await rep.send({ op: 'del', items: staleOwn });
  for (let i = 0; i < expired.length; i += 3000) await cmd.pcPrune(set, ...expired.slice(i, i + 3000));
  db.exec('DELETE FROM cluster_seen');
  // Millions of parsed entries leave V8's old space full of dead pages, as an import does (core/heap-release.ts).
  releaseHeapAfterBulk(scanned);
  return top;
}
