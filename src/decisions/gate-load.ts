import { DECISION_KINDS } from '../core/decision.ts';
import { parseIp, V4 } from './addr.ts';
import { Cidr4Index } from './cidr4-index.ts';
import type { GateIndex } from './gate.ts';
import { gatePut } from './gate-write.ts';
import { RANK_ACTION } from './profiles.ts';
import type { SqliteStore } from './sqlite-store.ts';
import { parseTarget } from './target.ts';

/**
 * Rebuilds the gate from the store at start, streamed: SQLite concatenates `chunkRows` rows into one string
 * (`id kind profile value\n…`, built in C by group_concat) and we parse numbers and addresses straight out of it
 * into the typed-array tables. No per-row JS object or array is made for IPv4 addresses and v4 CIDRs, which are
 * nearly all of a large set; other kinds go through the general path. Returns the number of rows loaded.
 */
export function loadGate(gate: GateIndex, store: SqliteStore, now: number, chunkRows = 65536): number {
  // SQL profile id → gate profile index (one acquire per profile; entries then just count references).
  const profileOf = new Map<number, number>();
  const profileRows = store.db
    .prepare('SELECT id, action, reason, expires_at FROM profiles WHERE expires_at IS NULL OR expires_at > ?')
    .all(now) as { id: number; action: number; reason: string; expires_at: number | null }[];
  for (const r of profileRows) {
    // Held (refs = 1) until the load ends, so a replaced entry cannot free a profile still mapped here.
    profileOf.set(r.id, gate.profiles.acquire(RANK_ACTION[r.action]!, r.reason, r.expires_at ?? undefined, 1));
  }
  const chunkStmt = store.db.prepare(
    `SELECT group_concat(id || ' ' || kind || ' ' || profile || ' ' || value, char(10)) AS chunk, max(id) AS last
     FROM (SELECT id, kind, profile, value FROM decisions WHERE id > ? ORDER BY id LIMIT ?)`,
  );
  const addr = new Uint32Array(4);
  let after = 0;
  let loaded = 0;
  for (;;) {
    const { chunk, last } = chunkStmt.get(after, chunkRows) as { chunk: string | null; last: number | null };
    if (chunk === null || last === null) break;
    after = last;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      let end = chunk.indexOf('\n', i);
      if (end === -1) end = n;
      // id
      let id = 0;
      while (chunk.charCodeAt(i) !== 32) id = id * 10 + chunk.charCodeAt(i++) - 48;
      i++;
      const kind = chunk.charCodeAt(i) - 48;
      i += 2;
      let sqlProfile = 0;
      while (chunk.charCodeAt(i) !== 32) sqlProfile = sqlProfile * 10 + chunk.charCodeAt(i++) - 48;
      i++;
      const prof = profileOf.get(sqlProfile);
      if (prof !== undefined && loadOne(gate, chunk, i, end, kind, id, prof, addr)) loaded++;
      i = end + 1;
    }
  }
  for (const p of profileOf.values()) gate.profiles.release(p);
  return loaded;
}

function loadOne(
  gate: GateIndex,
  s: string,
  start: number,
  end: number,
  kind: number,
  id: number,
  prof: number,
  addr: Uint32Array,
): boolean {
  if (kind === 0 && !hasColon(s, start, end) && parseIp(s, start, end, addr) === V4) {
    const ip = addr[3]! | 0; // int32: a uint32 above 2^31 would be boxed into a heap number per row
    if (gate.ip4.find(ip) < 0) {
      gate.ip4.set(ip, id, prof);
      gate.profiles.ref(prof);
      return true;
    }
  } else if (kind === 1) {
    const slash = s.indexOf('/', start);
    if (slash > 0 && slash < end && !hasColon(s, start, slash) && parseIp(s, start, slash, addr) === V4) {
      let bits = 0;
      for (let j = slash + 1; j < end; j++) bits = bits * 10 + s.charCodeAt(j) - 48;
      const prefix = addr[3]! | 0;
      const key = bits === 32 ? prefix : Cidr4Index.key(prefix, bits);
      const table = gate.cidr4.tableFor(bits);
      if (table.find(key) < 0) {
        table.set(key, id, prof);
        gate.cidr4.noteAdded(prefix, bits);
        gate.profiles.ref(prof);
        return true;
      }
    }
  }
  // General path: v6, other facets, and keys that already hold a decision (rank comparison in gatePut).
  const t = parseTarget(DECISION_KINDS[kind], s.slice(start, end));
  if (!t.ok) return false;
  const p = gate.profiles;
  gatePut(gate, t.target, {
    id,
    action: p.action(prof),
    reason: p.reason[prof]!,
    expiresAt: p.expires[prof] === 0 ? undefined : p.expires[prof],
  });
  return true;
}

/** Stored v4 values never contain `:`; a v6 text that parses as v4-mapped must take the general path. */
function hasColon(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === 58) return true;
  return false;
}
