import { DECISION_ACTIONS, type Decision, type DecisionEvidence } from '../core/decision.ts';
import { gidOf, newer, originOf, type WireAdd, type WireDel } from './cluster-wire.ts';
import type { DecisionCore } from './core.ts';
import { gatePut } from './gate-write.ts';
import { formatId } from './ids.ts';
import { parseTarget, type Target } from './target.ts';

/**
 * Applies changes that other nodes made (read from the Redis stream or the shared hash) to this node's store,
 * gate and event bus. Never pushes anything back: that is what keeps a change from ping-ponging.
 *
 * - An arriving decision is stored with `source: 'cluster'`; where it came from and its original source go into
 *   `evidence.note` ("from node n1 (import:feed)"), its cluster id into `decisions.gid`.
 * - Last writer wins on (target, action), by (createdAt, cluster id): every node compares the same way, so
 *   nodes that saw two concurrent re-adds in different orders still end up with the same one. A refresh keeps
 *   its cluster id (the origin kept the local id) and wins by its later createdAt; here it keeps its local id.
 * - A removal applies only to the version it names (same cluster id), so a late removal cannot take out a newer
 *   replacement.
 * Returns how many changes were applied.
 */
export function applyRemoteAdds(core: DecisionCore, from: string, items: readonly WireAdd[]): number {
  const now = core.clock.now();
  const self = core.sink?.nodeId ?? '';
  const todo: { w: WireAdd; t: Target; old: Decision | undefined }[] = [];
  for (const w of items) {
    if (!DECISION_ACTIONS.includes(w.a) || typeof w.g !== 'string' || typeof w.t !== 'number') continue;
    if (w.e !== undefined && w.e <= now) continue;
    const r = parseTarget(w.k, w.v);
    if (!r.ok) continue;
    const cur = core.store.byKey(r.target.kind, r.target.value, w.a);
    if (cur !== undefined) {
      const g = gidOf(self, cur.d.id, cur.gid);
      // Same cluster id and a later createdAt is a refresh of that decision (its origin re-added it, keeping the
      // id): applied like any newer write. Same id and time is a repeat: skipped.
      if (!newer(w, { t: cur.d.createdAt, g })) continue;
    }
    todo.push({ w, t: r.target, old: cur?.d });
  }
  if (todo.length === 0) return 0;
  const profiles = new Map<string, number>();
  const ids = core.store.tx(() => {
    const out = todo.map(({ w, t }) => {
      // Items of one remote import share all of these: one profile row for the lot, as on the origin.
      const x = w.x === undefined ? '' : JSON.stringify(w.x);
      const key = `${w.a}\u0000${w.r}\u0000${w.s}\u0000${w.b}\u0000${w.t}\u0000${w.e ?? ''}\u0000${x}\u0000${originOf(w.g)}`;
      let profile = profiles.get(key);
      if (profile === undefined) {
        profile = core.store.insertProfile({
          action: w.a,
          reason: w.r,
          source: 'cluster',
          expiresAt: w.e,
          createdBy: w.b,
          createdAt: w.t,
          evidence: evidenceOf(w),
        });
        profiles.set(key, profile);
      }
      return core.store.insertDecision(t.kind, t.value, w.a, profile, w.g);
    });
    core.store.audit(now, `cluster:${from}`, 'cluster-add', `${todo.length} decisions`, {
      from,
      first: todo[0]?.w.g,
    });
    return out;
  });
  core.profilesDirty = true;
  let events = 0;
  todo.forEach(({ w, t, old }, i) => {
    gatePut(core.gate, t, { id: ids[i]!, action: w.a, reason: w.r, expiresAt: w.e });
    if (events++ >= core.config.bulkEventLimit || !core.events.hasListeners) return;
    core.publish(old === undefined ? 'created' : 'refreshed', decisionOf(w, formatId(ids[i]!)), `cluster:${from}`);
  });
  if (events > core.config.bulkEventLimit) {
    core.publishSummary(
      `from node ${from}: ${todo.length} decisions (${events - core.config.bulkEventLimit} not listed)`,
    );
  }
  return todo.length;
}

export function applyRemoteDels(core: DecisionCore, from: string, items: readonly WireDel[]): number {
  const self = core.sink?.nodeId ?? '';
  const gone: Decision[] = [];
  for (const w of items) {
    if (!DECISION_ACTIONS.includes(w.a)) continue;
    const r = parseTarget(w.k, w.v);
    if (!r.ok) continue;
    const cur = core.store.byKey(r.target.kind, r.target.value, w.a);
    if (cur === undefined || gidOf(self, cur.d.id, cur.gid) !== w.g) continue;
    if (w.t === undefined || w.t === cur.d.createdAt) gone.push(cur.d);
  }
  if (gone.length === 0) return 0;
  const now = core.clock.now();
  core.store.tx(() => {
    core.store.deleteIds(gone.map((d) => Number(d.id.slice(1))));
    core.store.audit(now, `cluster:${from}`, 'cluster-remove', `${gone.length} decisions`, { from });
  });
  let events = 0;
  for (const d of gone) {
    core.applyRemoved(d);
    if (events++ < core.config.bulkEventLimit) core.publish('removed', d, `cluster:${from}`);
  }
  if (events > core.config.bulkEventLimit) {
    core.publishSummary(
      `from node ${from}: ${gone.length} decisions removed (${events - core.config.bulkEventLimit} not listed)`,
    );
  }
  return gone.length;
}

function evidenceOf(w: WireAdd): DecisionEvidence {
  const origin = `from node ${originOf(w.g)} (${w.s}, cluster id ${w.g})`;
  const x = w.x ?? {};
  return { ...x, note: x.note === undefined ? origin : `${origin}; ${x.note}` };
}

function decisionOf(w: WireAdd, id: string): Decision {
  const base: Decision = {
    id,
    kind: w.k,
    value: w.v,
    action: w.a,
    reason: w.r,
    source: 'cluster',
    createdBy: w.b,
    createdAt: w.t,
    evidence: evidenceOf(w),
  };
  return w.e === undefined ? base : { ...base, expiresAt: w.e };
}
