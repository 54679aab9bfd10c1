import { DECISION_ACTIONS, DECISION_KINDS, type Decision, type NewDecision } from '../core/decision.ts';
import { PortcullisError } from '../core/errors.ts';
import { releaseHeapAfterBulk } from '../core/heap-release.ts';
import { gidOf, toWire, type WireDel } from './cluster-wire.ts';
import type { DecisionCore } from './core.ts';
import { type DecisionFilter, isEmptyFilter } from './filter.ts';
import { formatId, parseId } from './ids.ts';
import { parseTarget } from './target.ts';

const MAX_REASON = 1024;
const SOURCE_RE = /^(manual|cluster|(import|detector):[\w.:@/-]{1,100})$/;

function invalid(message: string): never {
  throw new PortcullisError('PC_ERR_DECISIONS_INVALID', message);
}

/** Validates, commits (durable when this returns), updates the gate, publishes. */
export function addDecision(core: DecisionCore, d: NewDecision, by: string): Decision {
  if (!(DECISION_KINDS as readonly string[]).includes(d.kind))
    invalid(`kind must be one of ${DECISION_KINDS.join('|')}`);
  if (!(DECISION_ACTIONS as readonly string[]).includes(d.action)) {
    invalid(`action must be one of ${DECISION_ACTIONS.join('|')}`);
  }
  if (typeof d.value !== 'string') invalid('value must be a string');
  const r = parseTarget(d.kind, d.value);
  if (!r.ok) invalid(`value: ${r.error}`);
  if (d.ttlMs !== undefined && (!Number.isSafeInteger(d.ttlMs) || d.ttlMs <= 0)) {
    invalid('ttlMs must be a positive whole number of milliseconds (omit it for a decision until removed)');
  }
  if (typeof d.reason !== 'string' || d.reason.length > MAX_REASON) {
    invalid(`reason must be a string of at most ${MAX_REASON} characters`);
  }
  if (!SOURCE_RE.test(d.source)) invalid('source must be manual, cluster, import:<name> or detector:<id>');
  const now = core.clock.now();
  // The decision this one refreshes (same target and action), if any: it keeps its id (a `refreshed` event).
  const old = core.store.byKey(r.target.kind, r.target.value, d.action);
  // A refresh keeps the cluster id too, so its createdAt must rise for peers to take it as the newer version
  // (last writer wins by createdAt, then cluster id: cluster-apply.ts), even when re-added within the same ms.
  const createdAt = old === undefined ? now : Math.max(now, old.d.createdAt + 1);
  const base = {
    kind: r.target.kind,
    value: r.target.value,
    action: d.action,
    reason: d.reason === '' ? `${d.action} by ${by}` : d.reason,
    source: d.source,
    createdBy: by,
    createdAt,
    ...(d.ttlMs === undefined ? {} : { expiresAt: now + d.ttlMs }),
    ...(d.evidence === undefined ? {} : { evidence: d.evidence }),
  };
  const id = core.store.tx(() => {
    const profile = core.store.insertProfile(base);
    const n = core.store.insertDecision(base.kind, base.value, base.action, profile);
    core.store.audit(now, by, 'add', `${base.kind}:${base.value}`, {
      id: formatId(n),
      action: base.action,
      reason: base.reason,
      source: base.source,
      expiresAt: base.expiresAt ?? null,
      evidence: base.evidence ?? null,
    });
    return n;
  });
  const decision: Decision = { id: formatId(id), ...base };
  core.profilesDirty = true;
  core.applyAdded(r.target, decision);
  core.publish(old === undefined ? 'created' : 'refreshed', decision, by);
  core.sink?.push({ op: 'add', items: [toWire(decision, gidOf(core.sink.nodeId, decision.id, null))] });
  return decision;
}

export function removeDecision(core: DecisionCore, id: string, by: string, reason = ''): Decision {
  const n = parseId(id);
  const d = n === undefined ? undefined : core.store.get(n, core.clock.now());
  if (n === undefined || d === undefined) {
    throw new PortcullisError('PC_ERR_DECISIONS_NOT_FOUND', `no active decision ${id}; search to find its id`);
  }
  const gid = core.sink === undefined ? null : (core.store.gids([n]).get(n) ?? null);
  core.store.tx(() => {
    core.store.deleteIds([n]);
    core.store.audit(core.clock.now(), by, 'remove', `${d.kind}:${d.value}`, { id, reason, action: d.action });
  });
  core.applyRemoved(d);
  core.publish('removed', d, by);
  if (core.sink !== undefined) core.sink.push({ op: 'del', items: [delOf(d, gidOf(core.sink.nodeId, d.id, gid))] });
  return d;
}

/**
 * Deletes everything a filter matches, a page at a time (each page one transaction, then out of the gate), so a
 * 10 M-row delete neither holds one giant transaction nor blocks the gate for long. An empty filter is refused:
 * "delete everything" has to be spelled out as a filter (e.g. source=import:).
 */
export async function bulkRemove(core: DecisionCore, f: DecisionFilter, by: string, reason = ''): Promise<number> {
  if (isEmptyFilter(f)) {
    throw new PortcullisError('PC_ERR_DECISIONS_FILTER', 'refusing to delete with an empty filter; add one');
  }
  const now = core.clock.now();
  let removed = 0;
  let events = 0;
  for (;;) {
    // Re-query from the start each time: the previous page is gone, so "first page" always advances.
    const page = core.store.search(f, now, undefined, 10_000);
    if (page.length === 0) break;
    const ids = page.map((d) => parseId(d.id)!);
    const gids = core.sink === undefined ? undefined : core.store.gids(ids);
    core.store.tx(() => core.store.deleteIds(ids));
    if (core.sink !== undefined && gids !== undefined) {
      const sink = core.sink;
      sink.push({
        op: 'del',
        items: page.map((d, i) => delOf(d, gidOf(sink.nodeId, d.id, gids.get(ids[i]!) ?? null))),
      });
    }
    for (const d of page) {
      core.applyRemoved(d);
      if (events++ < core.config.bulkEventLimit) core.publish('removed', d, by);
    }
    removed += page.length;
    await new Promise((r) => setImmediate(r));
  }
  // Millions of removed decisions leave their pages of objects in V8's old space, as an import does.
  releaseHeapAfterBulk(removed);
  core.store.tx(() => core.store.audit(core.clock.now(), by, 'bulk-remove', 'filter', { filter: f, reason, removed }));
  if (events > core.config.bulkEventLimit) {
    core.publishSummary(
      `bulk remove by ${by}: ${removed} decisions (${events - core.config.bulkEventLimit} not listed)`,
    );
  }
  return removed;
}

function delOf(d: Decision, gid: string): WireDel {
  return { g: gid, k: d.kind, v: d.value, a: d.action, t: d.createdAt };
}
