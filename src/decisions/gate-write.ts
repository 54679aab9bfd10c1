import { formatV4, formatV6 } from './addr.ts';
import { Cidr4Index } from './cidr4-index.ts';
import type { GateEntry, GateIndex } from './gate.ts';
import { ACTION_RANK } from './profiles.ts';
import { parseTarget, type Target } from './target.ts';

/**
 * Changes to the gate tables. These run on writes, loads and the expiry sweep, never per request.
 * Each table slot keeps the winning decision of its key (highest action rank); see gate.ts for the rules.
 */

/** Where a target lives: a table, its slot (or -1), and how to insert. */
interface Place {
  slot: number;
  id(): number;
  prof(): number;
  write(id: number, prof: number): void;
  erase(): void;
}

function place(g: GateIndex, t: Target): Place {
  if (t.kind === 'ip' && t.family === 4) {
    const tab = g.ip4;
    const slot = tab.find(t.v4);
    return {
      slot,
      id: () => tab.idAt(slot),
      prof: () => tab.profAt(slot),
      write: (id, prof) => tab.set(t.v4, id, prof),
      erase: () => tab.removeAt(slot),
    };
  }
  if (t.kind === 'cidr' && t.family === 4) {
    const tab = g.cidr4.tableFor(t.bits);
    const key = t.bits === 32 ? t.v4 : ((t.v4 >>> (32 - t.bits)) | (1 << t.bits)) >>> 0;
    const k = t.bits === 0 ? 1 : key;
    const slot = tab.find(k);
    return {
      slot,
      id: () => tab.idAt(slot),
      prof: () => tab.profAt(slot),
      write: (id, prof) => {
        tab.set(k, id, prof);
        if (slot < 0) g.cidr4.noteAdded(t.v4, t.bits);
      },
      erase: () => {
        tab.removeAt(slot);
        g.cidr4.noteRemoved(t.v4, t.bits);
      },
    };
  }
  if (t.kind === 'ip' || t.kind === 'cidr') {
    const isCidr = t.kind === 'cidr';
    const bits = t.kind === 'cidr' ? t.bits : 128;
    const tab = isCidr ? g.cidr6.table : g.ip6;
    const w = t.w;
    const slot = tab.find(w[0]!, w[1]!, w[2]!, w[3]!, bits);
    return {
      slot,
      id: () => tab.idAt(slot),
      prof: () => tab.profAt(slot),
      write: (id, prof) => {
        tab.set(w, bits, id, prof);
        if (slot < 0 && isCidr) g.cidr6.noteAdded(w[0]!, bits);
      },
      erase: () => {
        tab.removeAt(slot);
        if (isCidr) g.cidr6.noteRemoved(bits);
      },
    };
  }
  const key = `${t.kind}:${t.value}`;
  const e = g.others.get(key);
  return {
    slot: e === undefined ? -1 : 0,
    id: () => e!.id,
    prof: () => e!.prof,
    write: (id, prof) => g.others.set(key, { id, prof }),
    erase: () => g.others.delete(key),
  };
}

/** Adds a decision to the gate. A same-action decision on the key replaces the old one (the store did too). */
export function gatePut(g: GateIndex, t: Target, e: GateEntry): void {
  g.forget(e.id);
  const p = place(g, t);
  const prof = g.profiles.acquire(e.action, e.reason, e.expiresAt);
  if (p.slot < 0) {
    p.write(e.id, prof);
    return;
  }
  const old = p.prof();
  const oldRank = g.profiles.rank[old]!;
  const rank = ACTION_RANK[e.action];
  if (rank === oldRank || p.id() === e.id) {
    p.write(e.id, prof);
    g.profiles.release(old);
  } else if (rank > oldRank) {
    p.write(e.id, prof);
    g.profiles.release(old);
    bumpShadow(g, t, 1);
  } else {
    g.profiles.release(prof);
    bumpShadow(g, t, 1);
  }
}

/**
 * gatePut for bulk paths (import, load) that resolved the profile once: IPv4 addresses and v4 prefixes landing on
 * an empty key go straight into their table; anything else takes the general path. The caller holds its own
 * reference on `prof` for the duration, so a replaced entry can never free it under us.
 */
export function gatePutProfile(g: GateIndex, t: Target, id: number, prof: number): void {
  g.forget(id);
  if (t.kind === 'ip' && t.family === 4) {
    const slot = g.ip4.find(t.v4);
    if (slot < 0) {
      g.ip4.set(t.v4, id, prof);
      g.profiles.ref(prof);
      return;
    }
    if (g.ip4.idAt(slot) === id) {
      refresh(g, g.ip4, slot, t.v4, id, prof);
      return;
    }
  } else if (t.kind === 'cidr' && t.family === 4) {
    const tab = g.cidr4.tableFor(t.bits);
    const k = t.bits === 32 ? t.v4 : Cidr4Index.key(t.v4, t.bits);
    const slot = tab.find(k);
    if (slot < 0) {
      tab.set(k, id, prof);
      g.cidr4.noteAdded(t.v4, t.bits);
      g.profiles.ref(prof);
      return;
    }
    if (tab.idAt(slot) === id) {
      refresh(g, tab, slot, k, id, prof);
      return;
    }
  }
  const p = g.profiles;
  const exp = p.expires[prof]!;
  gatePut(g, t, { id, action: p.action(prof), reason: p.reason[prof]!, expiresAt: exp === 0 ? undefined : exp });
}

/** A re-import's common case: the key already holds this very decision (id kept); only its profile changes. */
function refresh(
  g: GateIndex,
  tab: { profAt(slot: number): number; set(key: number, id: number, prof: number): void },
  slot: number,
  key: number,
  id: number,
  prof: number,
): void {
  const old = tab.profAt(slot);
  tab.set(key, id, prof);
  g.profiles.ref(prof);
  g.profiles.release(old);
}

/** Removes decision `id` on target `t`. If it was the winner, the best remaining one comes back from the store. */
export function gateRemove(g: GateIndex, t: Target, id: number): void {
  const p = place(g, t);
  const key = `${t.kind}:${t.value}`;
  if (p.slot < 0 || p.id() !== id) {
    if (g.shadowed.has(key)) bumpShadow(g, t, -1);
    return;
  }
  g.profiles.release(p.prof());
  p.erase();
  if (g.shadowed.has(key)) refill(g, t, key);
}

function refill(g: GateIndex, t: Target, key: string): void {
  g.shadowed.delete(key);
  const next = g.resolver(t);
  if (next === undefined) return;
  gatePut(g, t, next.best);
  if (next.total > 1) g.shadowed.set(key, next.total - 1);
}

function bumpShadow(g: GateIndex, t: Target, delta: number): void {
  const key = `${t.kind}:${t.value}`;
  const n = (g.shadowed.get(key) ?? 0) + delta;
  if (n > 0) g.shadowed.set(key, n);
  else g.shadowed.delete(key);
}

/**
 * Removes every entry whose profile has expired by `now`; a quiet gate spends nothing (the profile heap says in
 * O(1) whether anything is due). `removeFew` may take a due profile's entries out one by one (the store knows
 * which they are) and return true; only profiles it declines — large imports — cost one pass over the tables, so
 * a detector's short block expiring does not walk 10 M slots. Returns the number removed by the table pass.
 */
export function gateSweep(g: GateIndex, now: number, removeFew: (prof: number) => boolean = () => false): number {
  if (g.profiles.nextExpiry > now) return 0;
  const due: number[] = [];
  for (const p of g.profiles.takeDue(now)) {
    if (removeFew(p) && g.profiles.refs(p) === 0) g.profiles.freeExpired(p);
    else due.push(p);
  }
  if (due.length === 0) return 0;
  const flag = new Uint8Array(g.profiles.rank.length);
  for (const p of due) flag[p] = 1;
  const refills: Target[] = [];
  const track = g.shadowed.size > 0;
  let removed = 0;
  removed += g.ip4.sweep((key, _id, prof) => {
    if (flag[prof] !== 1) return false;
    if (track) noteRefill(g, 'ip', formatV4(key), refills);
    return true;
  });
  const c4 = g.cidr4;
  for (const tab of [c4.table, c4.full, c4.short]) {
    removed += tab.sweep((key, _id, prof) => {
      if (flag[prof] !== 1) return false;
      const [prefix, bits] = tab === c4.full ? [key, 32] : Cidr4Index.decode(key);
      c4.noteRemoved(prefix, bits);
      if (track) noteRefill(g, 'cidr', `${formatV4(prefix)}/${bits}`, refills);
      return true;
    });
  }
  for (const [tab, isCidr] of [
    [g.ip6, false],
    [g.cidr6.table, true],
  ] as const) {
    removed += tab.sweep((slot) => {
      if (flag[tab.profAt(slot)] !== 1) return false;
      const bits = tab.bitsAt(slot);
      if (isCidr) g.cidr6.noteRemoved(bits);
      if (track) {
        const text = formatV6(tab.wordsAt(slot));
        noteRefill(g, isCidr ? 'cidr' : 'ip', isCidr ? `${text}/${bits}` : text, refills);
      }
      return true;
    });
  }
  for (const [key, e] of g.others) {
    if (flag[e.prof] !== 1) continue;
    g.others.delete(key);
    removed++;
    if (track) {
      const colon = key.indexOf(':');
      noteRefill(g, key.slice(0, colon) as Target['kind'], key.slice(colon + 1), refills);
    }
  }
  for (const p of due) g.profiles.freeExpired(p);
  for (const t of refills) refill(g, t, `${t.kind}:${t.value}`);
  return removed;
}

function noteRefill(g: GateIndex, kind: Target['kind'], value: string, out: Target[]): void {
  if (!g.shadowed.has(`${kind}:${value}`)) return;
  const r = parseTarget(kind, value);
  if (r.ok) out.push(r.target);
}
