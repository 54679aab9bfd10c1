import { DECISION_KINDS } from '../core/decision.ts';
import type { DecisionCore } from './core.ts';
import { gateRemove, gateSweep } from './gate-write.ts';
import { ACTION_RANK } from './profiles.ts';
import { parseTarget } from './target.ts';

/** Gate profiles used by at most this many entries expire entry by entry instead of by a table pass. */
const FEW = 4096;

function removeFew(core: DecisionCore, p: number): boolean {
  const profiles = core.gate.profiles;
  if (profiles.refs(p) > FEW) return false;
  const rows = core.store.db
    .prepare(
      `SELECT d.id, d.kind, d.value FROM profiles p JOIN decisions d ON d.profile = p.id
       WHERE p.expires_at = ? AND p.action = ? AND p.reason = ? LIMIT ?`,
    )
    .all(profiles.expires[p], ACTION_RANK[profiles.action(p)], profiles.reason[p], FEW * 2) as {
    id: number;
    kind: number;
    value: string;
  }[];
  for (const r of rows) {
    const t = parseTarget(DECISION_KINDS[r.kind], r.value);
    if (t.ok) gateRemove(core.gate, t.target, r.id);
  }
  return true;
}

/**
 * Expiry, run every `sweepIntervalMs` and once at start. Expired decisions already stopped matching (the gate
 * checks a hit's expiry), so this only reclaims memory and disk and records the change:
 *   1. gate: O(1) check of the profile heap; a pass over the tables only when a profile is due;
 *   2. store: profiles past expiry (partial index on expires_at) and their decisions are deleted, one
 *      transaction each, with an `expire` audit row and events (per decision up to bulkEventLimit).
 * Returns the number of decisions removed from the store.
 */
export function sweepExpired(core: DecisionCore): number {
  const now = core.clock.now();
  gateSweep(core.gate, now, (p) => removeFew(core, p));
  let removed = 0;
  let events = 0;
  for (const p of core.store.expiredProfiles(now)) {
    const budget = core.config.bulkEventLimit - events;
    const listed = budget > 0 && core.events.hasListeners ? core.store.decisionsOfProfile(p.id, budget) : [];
    core.store.tx(() => {
      core.store.deleteProfile(p.id);
      if (p.n > 0) core.store.audit(now, 'system', 'expire', p.source, { reason: p.reason, count: p.n });
    });
    for (const d of listed) core.publish('expired', d, 'system');
    events += listed.length;
    removed += p.n;
  }
  if (removed > events) core.publishSummary(`${removed} decisions expired (${removed - events} not listed)`);
  // Orphan profiles (left by replaced or deleted decisions) cost a probe per profile to find: once a minute at most.
  if (core.profilesDirty && now - core.lastOrphanSweep >= 60_000) {
    core.profilesDirty = false;
    core.lastOrphanSweep = now;
    core.store.dropOrphanProfiles();
  }
  return removed;
}
