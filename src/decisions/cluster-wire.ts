import type { Decision, DecisionAction, DecisionEvidence, DecisionKind, DecisionSource } from '../core/decision.ts';

/**
 * What travels between nodes (cluster.ts). Short keys: a 10 M-line import is 10 M of these in Redis.
 *
 *   hash   <prefix>decisions:set      field "<action> <kind>:<value>" → WireAdd JSON   (the shared state)
 *   stream <prefix>decisions:changes  {n: node, o: add|del, d: [WireAdd…] | [WireDel…]} (what changed, in order)
 *
 * The hash is keyed by (action, target), not by id, because the store keeps one decision per (target, action):
 * a re-add on any node replaces the field, so the hash cannot pile up versions. `g` is the cluster-wide id,
 * `<origin node>-<its local id>`; a node's own API ids stay `d<n>` (local, fast, uint32 in the gate).
 */
export interface WireAdd {
  /** cluster id */
  readonly g: string;
  readonly k: DecisionKind;
  readonly v: string;
  readonly a: DecisionAction;
  /** reason */
  readonly r: string;
  /** original source (manual, import:…, detector:…) */
  readonly s: DecisionSource;
  /** created by */
  readonly b: string;
  /** created at, epoch ms */
  readonly t: number;
  /** expires at, epoch ms */
  readonly e?: number;
  readonly x?: DecisionEvidence;
}

export interface WireDel {
  readonly g: string;
  readonly k: DecisionKind;
  readonly v: string;
  readonly a: DecisionAction;
  /**
   * createdAt of the version removed. A refresh keeps the cluster id (the origin kept its local id), so the id
   * alone no longer names a version: without `t` a late removal would take out a refresh made meanwhile.
   * Absent: any version under `g`.
   */
  readonly t?: number;
}

export type LocalChange =
  | { readonly op: 'add'; readonly items: WireAdd[] }
  | { readonly op: 'del'; readonly items: WireDel[] };

/** Where a node's write paths hand their committed changes (cluster.ts queues and pushes them). */
export interface ChangeSink {
  readonly nodeId: string;
  push(change: LocalChange): void;
}

export function fieldOf(w: { k: string; v: string; a: string }): string {
  return `${w.a} ${w.k}:${w.v}`;
}

/** The cluster id of a stored decision: its origin's, or this node's for decisions made here. */
export function gidOf(nodeId: string, localId: string, stored: string | null): string {
  return stored ?? `${nodeId}-${localId.slice(1)}`;
}

export function toWire(d: Decision, gid: string): WireAdd {
  const w: WireAdd = {
    g: gid,
    k: d.kind,
    v: d.value,
    a: d.action,
    r: d.reason,
    s: d.source,
    b: d.createdBy,
    t: d.createdAt,
  };
  const e = d.expiresAt === undefined ? w : { ...w, e: d.expiresAt };
  return d.evidence === undefined ? e : { ...e, x: d.evidence };
}

/** Last writer wins, everywhere the same way: later createdAt, then the larger cluster id. */
export function newer(a: { t: number; g: string }, b: { t: number; g: string }): boolean {
  return a.t > b.t || (a.t === b.t && a.g > b.g);
}

/** The node part of a cluster id `<node>-<local id>`. */
export function originOf(gid: string): string {
  return gid.slice(0, gid.lastIndexOf('-'));
}
