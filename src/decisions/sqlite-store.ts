import type Database from 'better-sqlite3';
import {
  DECISION_KINDS,
  type Decision,
  type DecisionAction,
  type DecisionEvidence,
  type DecisionKind,
  type DecisionSource,
} from '../core/decision.ts';
import { type DecisionFilter, filterSql } from './filter.ts';
import { formatId } from './ids.ts';
import { ACTION_RANK, RANK_ACTION } from './profiles.ts';

/** What a group of decisions shares: one row of `profiles` (see sqlite-schema.ts). */
export interface ProfileInput {
  readonly action: DecisionAction;
  readonly reason: string;
  readonly source: DecisionSource;
  readonly expiresAt?: number | undefined;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly evidence?: DecisionEvidence | undefined;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly actor: string;
  readonly op: string;
  readonly target: string;
  readonly detail: unknown;
}

interface DecisionRow {
  id: number;
  kind: number;
  value: string;
  action: number;
  reason: string;
  source: string;
  expires_at: number | null;
  created_by: string;
  created_at: number;
  evidence: string | null;
}

const SELECT = `SELECT d.id, d.kind, d.value, d.action, p.reason, p.source, p.expires_at, p.created_by,
  p.created_at, p.evidence FROM decisions d JOIN profiles p ON p.id = d.profile`;

export function kindIndex(kind: DecisionKind): number {
  return DECISION_KINDS.indexOf(kind);
}

/** Synchronous SQL over the embedded store's file. Callers group writes in `tx` so each call is one fsync. */
export class SqliteStore {
  readonly db: Database.Database;
  #nextId: number;
  readonly #insertProfile: Database.Statement;
  readonly #insertDecision: Database.Statement;
  readonly #insertAudit: Database.Statement;
  readonly #insertBulk: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #byTarget: Database.Statement;
  readonly #byKey: Database.Statement;

  constructor(db: Database.Database) {
    this.db = db;
    const max = db.prepare('SELECT max(id) AS m FROM decisions').get() as { m: number | null };
    this.#nextId = (max.m ?? 0) + 1;
    this.#insertProfile = db.prepare(
      'INSERT INTO profiles (action, reason, source, expires_at, created_by, created_at, evidence) VALUES (?,?,?,?,?,?,?)',
    );
    // REPLACE: one decision per (target, action); re-adding refreshes reason, TTL and evidence under a new id.
    this.#insertDecision = db.prepare(
      'INSERT OR REPLACE INTO decisions (id, kind, value, action, profile, gid) VALUES (?,?,?,?,?,?)',
    );
    this.#insertBulk = db.prepare(
      'INSERT OR REPLACE INTO decisions (id, kind, value, action, profile) SELECT ? + key, ?, value, ?, ? FROM json_each(?)',
    );
    this.#insertAudit = db.prepare('INSERT INTO audit (at, actor, op, target, detail) VALUES (?,?,?,?,?)');
    this.#byId = db.prepare(`${SELECT} WHERE d.id = ?`);
    this.#byKey = db.prepare(
      `${SELECT.replace(' FROM decisions', ', d.gid FROM decisions')} WHERE d.value = ? AND d.kind = ? AND d.action = ?`,
    );
    this.#byTarget = db.prepare(
      `${SELECT} WHERE d.value = ? AND d.kind = ? AND (p.expires_at IS NULL OR p.expires_at > ?) ORDER BY d.id DESC`,
    );
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  insertProfile(p: ProfileInput): number {
    const r = this.#insertProfile.run(
      ACTION_RANK[p.action],
      p.reason,
      p.source,
      p.expiresAt ?? null,
      p.createdBy,
      p.createdAt,
      p.evidence === undefined ? null : JSON.stringify(p.evidence),
    );
    return Number(r.lastInsertRowid);
  }

  /**
   * Inserts (or replaces) one decision and returns its new numeric id. `gid` is the cluster id of a decision that
   * came from another node (cluster.ts); decisions made here leave it NULL.
   */
  insertDecision(kind: DecisionKind, value: string, action: DecisionAction, profile: number, gid?: string): number {
    const id = this.#nextId++;
    this.#insertDecision.run(id, kindIndex(kind), value, ACTION_RANK[action], profile, gid ?? null);
    return id;
  }

  /** The decision on (target, action), expired or not, with its cluster id (NULL: made on this node). */
  byKey(kind: DecisionKind, value: string, action: DecisionAction): { d: Decision; gid: string | null } | undefined {
    const row = this.#byKey.get(value, kindIndex(kind), ACTION_RANK[action]) as
      | (DecisionRow & { gid: string | null })
      | undefined;
    return row === undefined ? undefined : { d: toDecision(row), gid: row.gid };
  }

  /** Cluster ids of those of `ids` that came from other nodes. */
  gids(ids: readonly number[]): Map<number, string> {
    const out = new Map<number, string>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare('SELECT d.id, d.gid FROM decisions d, json_each(?) j WHERE d.id = j.value AND d.gid IS NOT NULL')
      .all(JSON.stringify(ids)) as { id: number; gid: string }[];
    for (const r of rows) out.set(r.id, r.gid);
    return out;
  }

  /**
   * Active decisions made on this node whose cluster id (`<nodeId>-<id>`) is not in the temp table
   * `cluster_seen` (filled by a cluster snapshot), ascending id after `after`.
   */
  unseenOwn(nodeId: string, now: number, after: number, limit: number): Decision[] {
    const rows = this.db
      .prepare(
        `${SELECT} WHERE d.gid IS NULL AND d.id > ? AND (p.expires_at IS NULL OR p.expires_at > ?)
         AND (? || '-' || d.id) NOT IN (SELECT g FROM cluster_seen) ORDER BY d.id LIMIT ?`,
      )
      .all(after, now, nodeId, limit) as DecisionRow[];
    return rows.map(toDecision);
  }

  /** Decisions from other nodes whose cluster id is not in `cluster_seen`. */
  unseenRemote(): { gid: string; kind: DecisionKind; value: string; action: DecisionAction }[] {
    const rows = this.db
      .prepare(
        'SELECT gid, kind, value, action FROM decisions WHERE gid IS NOT NULL AND gid NOT IN (SELECT g FROM cluster_seen)',
      )
      .all() as { gid: string; kind: number; value: string; action: number }[];
    return rows.map((r) => ({
      gid: r.gid,
      kind: DECISION_KINDS[r.kind]!,
      value: r.value,
      action: RANK_ACTION[r.action]!,
    }));
  }

  metaGet(key: string): string | undefined {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value;
  }

  metaSet(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  /** Inserts (or replaces) decisions on `values` in one statement; their ids are first, first + 1, … in order. */
  insertDecisionsBulk(kind: DecisionKind, action: DecisionAction, profile: number, values: readonly string[]): number {
    const first = this.#nextId;
    this.#nextId += values.length;
    this.#insertBulk.run(first, kindIndex(kind), ACTION_RANK[action], profile, JSON.stringify(values));
    return first;
  }

  audit(at: number, actor: string, op: string, target: string, detail: unknown): void {
    this.#insertAudit.run(at, actor, op, target, JSON.stringify(detail));
  }

  get(id: number, now: number): Decision | undefined {
    const row = this.#byId.get(id) as DecisionRow | undefined;
    if (row === undefined || (row.expires_at !== null && row.expires_at <= now)) return undefined;
    return toDecision(row);
  }

  /** Active decisions on exactly this target, newest first. */
  onTarget(kind: DecisionKind, value: string, now: number): Decision[] {
    return (this.#byTarget.all(value, kindIndex(kind), now) as DecisionRow[]).map(toDecision);
  }

  deleteIds(ids: readonly number[]): void {
    const del = this.db.prepare(`DELETE FROM decisions WHERE id IN (${ids.map(() => '?').join(',')})`);
    if (ids.length > 0) del.run(...ids);
  }

  search(f: DecisionFilter, now: number, before: number | undefined, limit: number): Decision[] {
    const { where, params } = filterSql(f, now);
    const cursor = before === undefined ? '' : ' AND d.id < ?';
    const sql = `${SELECT} WHERE ${where}${cursor} ORDER BY d.id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, ...(before === undefined ? [] : [before]), limit);
    return (rows as DecisionRow[]).map(toDecision);
  }

  count(f: DecisionFilter, now: number): number {
    const { where, params } = filterSql(f, now);
    const sql = `SELECT count(*) AS n FROM decisions d JOIN profiles p ON p.id = d.profile WHERE ${where}`;
    return (this.db.prepare(sql).get(...params) as { n: number }).n;
  }

  /** Matching decisions in ascending id order, `size` at a time (for bulk delete and export). */
  *pages(f: DecisionFilter, now: number, size: number): Generator<Decision[]> {
    const { where, params } = filterSql(f, now);
    const stmt = this.db.prepare(`${SELECT} WHERE ${where} AND d.id > ? ORDER BY d.id LIMIT ?`);
    let after = 0;
    for (;;) {
      const rows = stmt.all(...params, after, size) as DecisionRow[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.id;
      yield rows.map(toDecision);
      if (rows.length < size) return;
    }
  }

  /** Profiles whose expiry has passed, with their decision counts. */
  expiredProfiles(now: number): { id: number; n: number; reason: string; source: string }[] {
    return this.db
      .prepare(
        `SELECT p.id, p.reason, p.source, (SELECT count(*) FROM decisions d WHERE d.profile = p.id) AS n
         FROM profiles p WHERE p.expires_at IS NOT NULL AND p.expires_at <= ?`,
      )
      .all(now) as { id: number; n: number; reason: string; source: string }[];
  }

  decisionsOfProfile(profile: number, limit: number): Decision[] {
    return (this.db.prepare(`${SELECT} WHERE d.profile = ? LIMIT ?`).all(profile, limit) as DecisionRow[]).map(
      toDecision,
    );
  }

  deleteProfile(profile: number): void {
    this.db.prepare('DELETE FROM decisions WHERE profile = ?').run(profile);
    this.db.prepare('DELETE FROM profiles WHERE id = ?').run(profile);
  }

  /** Drops profiles no decision points at any more (after replacements and deletes). */
  dropOrphanProfiles(): number {
    return this.db
      .prepare('DELETE FROM profiles WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.profile = profiles.id)')
      .run().changes;
  }

  auditPage(before: number | undefined, limit: number): AuditEntry[] {
    const rows = this.db
      .prepare(`SELECT * FROM audit ${before === undefined ? '' : 'WHERE id < ?'} ORDER BY id DESC LIMIT ?`)
      .all(...(before === undefined ? [] : [before]), limit) as (Omit<AuditEntry, 'detail'> & { detail: string })[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as unknown }));
  }

  get totalActive(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n;
  }
}

export function toDecision(r: DecisionRow): Decision {
  const base = {
    id: formatId(r.id),
    kind: DECISION_KINDS[r.kind]!,
    value: r.value,
    action: RANK_ACTION[r.action]!,
    reason: r.reason,
    source: r.source as DecisionSource,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
  const withExp = r.expires_at === null ? base : { ...base, expiresAt: r.expires_at };
  return r.evidence === null ? withExp : { ...withExp, evidence: JSON.parse(r.evidence) as DecisionEvidence };
}
