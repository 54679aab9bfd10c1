import type { Clock } from '../core/clock.ts';
import type { Decision, DecisionAction, DecisionKind } from '../core/decision.ts';
import { newIncidentId } from '../core/incident-id.ts';
import type { EventBus } from '../events/bus.ts';
import type { DecisionEvent } from '../events/event.ts';
import type { ChangeSink } from './cluster-wire.ts';
import type { DecisionsConfig } from './config.ts';
import type { GateEntry, GateIndex } from './gate.ts';
import { gatePut, gateRemove } from './gate-write.ts';
import { parseId } from './ids.ts';
import { ACTION_RANK } from './profiles.ts';
import type { SqliteStore } from './sqlite-store.ts';
import { parseTarget, type Target } from './target.ts';

/**
 * What every write path (single add/remove, import, bulk delete, expiry) shares: the durable store, the gate,
 * and the event side channel. The order is always: commit to SQLite (durable), then change the gate, then publish.
 */
export class DecisionCore {
  readonly store: SqliteStore;
  readonly gate: GateIndex;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly config: DecisionsConfig;
  /** Set when decisions were replaced or deleted, so the sweep drops profiles nothing uses any more. */
  profilesDirty = false;
  lastOrphanSweep = Number.NEGATIVE_INFINITY;
  /** Cluster mode: committed local changes go here, after the local commit (cluster.ts). Undefined: embedded only. */
  sink: ChangeSink | undefined;

  constructor(store: SqliteStore, gate: GateIndex, clock: Clock, events: EventBus, config: DecisionsConfig) {
    this.store = store;
    this.gate = gate;
    this.clock = clock;
    this.events = events;
    this.config = config;
    gate.setResolver((t) => this.best(t));
  }

  /** The winning active decision on a target and how many are active on it (for the gate's refill). */
  best(t: Target): { best: GateEntry; total: number } | undefined {
    const all = this.store.onTarget(t.kind, t.value, this.clock.now());
    let top: Decision | undefined;
    for (const d of all) if (top === undefined || ACTION_RANK[d.action] > ACTION_RANK[top.action]) top = d;
    if (top === undefined) return undefined;
    return { best: toEntry(top), total: all.length };
  }

  applyAdded(t: Target, d: Decision): void {
    gatePut(this.gate, t, toEntry(d));
  }

  applyRemoved(d: Decision): void {
    const t = parseTarget(d.kind, d.value);
    const id = parseId(d.id);
    if (t.ok && id !== undefined) gateRemove(this.gate, t.target, id);
    this.profilesDirty = true;
  }

  publish(change: DecisionEvent['change'], d: Decision, by: string): void {
    if (!this.events.hasListeners) return;
    const now = this.clock.now();
    this.events.publish({
      type: 'decision',
      id: newIncidentId(now),
      time: now,
      change,
      decisionId: d.id,
      target: `${d.kind}:${d.value}`,
      decisionAction: d.action,
      source: d.source,
      reason: d.reason,
      by,
    });
  }

  /** One event summarising a bulk change past `bulkEventLimit` per-decision events. */
  publishSummary(message: string): void {
    if (!this.events.hasListeners) return;
    const now = this.clock.now();
    this.events.publish({ type: 'system', id: newIncidentId(now), time: now, level: 'info', message });
  }
}

export function toEntry(d: Decision): GateEntry {
  return { id: parseId(d.id)!, action: d.action, reason: d.reason, expiresAt: d.expiresAt };
}

/** One human sentence for a decision (style rule 11): what, on what, why, since when, until when. */
export function describe(d: Decision): string {
  const until = d.expiresAt === undefined ? 'until removed' : `until ${new Date(d.expiresAt).toISOString()}`;
  return `${d.action} ${d.kind} ${d.value} (${d.source}, by ${d.createdBy} at ${new Date(d.createdAt).toISOString()}, ${until}): ${d.reason}`;
}

export type { DecisionAction, DecisionKind };
