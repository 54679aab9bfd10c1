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
import { IdAllocator } from './id-allocator.ts';
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
  readonly #ids: IdAllocator;
  readonly #insertProfile: Database.Statement;
  readonly #refreshDecision: Database.Statement;
  readonly #insertDecision: Database.Statement;
  readonly #existingIds: Database.Statement;
  readonly #refreshBulk: Database.Statement;
  readonly #insertAudit: Database.Statement;
  readonly #setMeta: Database.Statement;
  /** The latest createdAt of any version stored since open (removed ones included): kept, not scanned per import. */
  #latestCreatedAt: number;
  readonly #insertBulk: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #byTarget: Database.Statement;
  readonly #byKey: Database.Statement;
  /** insertBulk in a nested transaction: a savepoint inside the caller's, rolled back alone when it throws. */
  readonly #insertAll: (first: number, k: number, a: number, profile: number, json: string) => void;

  constructor(db: Database.Database) {
    this.db = db;
    this.#setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    this.#ids = new IdAllocator(db, { get: (k) => this.metaGet(k), set: (k, v) => this.metaSet(k, v) });
    const latest = db.prepare('SELECT max(created_at) AS m FROM profiles').get() as { m: number | null };
    this.#latestCreatedAt = latest.m ?? 0;
    this.#insertProfile = db.prepare(
      'INSERT INTO profiles (action, reason, source, expires_at, created_by, created_at, evidence) VALUES (?,?,?,?,?,?,?)',
    );
    // One decision per (target, action). A re-add keeps the row and its id and points it at the new profile, so
    // ids grow with the distinct targets ever added, not with re-imports (an hourly 10 M-line feed would pass the
    // gate's uint32 ids in 18 days if every refresh took new ones). Plain INSERT: a clash is a bug, and loud.
    this.#refreshDecision = db.prepare(
      'UPDATE decisions SET profile = ?, gid = ? WHERE value = ? AND kind = ? AND action = ? RETURNING id',
    );
    this.#insertDecision = db.prepare(
      'INSERT INTO decisions (id, kind, value, action, profile, gid) VALUES (?,?,?,?,?,?)',
    );
    // `<index> <id>` of each of `values` already stored, as one string (no row object per value; nothing to sort,
    // and an empty string for a first import).
    this.#existingIds = db.prepare(
      `SELECT group_concat(j.key || ' ' || d.id, ' ') AS ids FROM json_each(?) j
       JOIN decisions d ON d.value = j.value AND d.kind = ? AND d.action = ?`,
    );
    this.#refreshBulk = db.prepare(
      'UPDATE decisions SET profile = ?, gid = NULL WHERE id IN (SELECT value FROM json_each(?))',
    );
    this.#insertBulk = db.prepare(
      'INSERT INTO decisions (id, kind, value, action, profile) SELECT ? + key, ?, value, ?, ? FROM json_each(?)',
    );
    this.#insertAll = db.transaction((first: number, k: number, a: number, profile: number, json: string) => {
      this.#insertBulk.run(first, k, a, profile, json);
    });
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
    // Raised even if the caller's transaction then rolls back: a later stamp than needed is harmless.
    if (p.createdAt > this.#latestCreatedAt) this.#latestCreatedAt = p.createdAt;
    return Number(r.lastInsertRowid);
  }

  /**
   * Adds one decision, or refreshes the one already on (target, action): that row keeps its id and now points at
   * `profile`. Returns the id. `gid` is the cluster id of a decision that came from another node (cluster.ts);
   * decisions made here leave it NULL (a local re-add of a remote decision makes it this node's own).
   */
  insertDecision(kind: DecisionKind, value: string, action: DecisionAction, profile: number, gid?: string): number {
    const k = kindIndex(kind);
    const a = ACTION_RANK[action];
    const kept = this.#refreshDecision.get(profile, gid ?? null, value, k, a) as { id: number } | undefined;
    if (kept !== undefined) return kept.id;
    const id = this.#ids.take(1);
    this.#insertDecision.run(id, k, value, a, profile, gid ?? null);
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
    this.#setMeta.run(key, value);
  }

  /**
   * Adds decisions on `values` (one kind, action and profile), or refreshes the ones already there, which keep
   * their ids. Returns each value's id, in order. New values get consecutive ids in order, so an import's new
   * targets share runs of ids (id-profiles.ts). Values must be distinct (the importer keeps a target's last line).
   */
  insertDecisionsBulk(
    kind: DecisionKind,
    action: DecisionAction,
    profile: number,
    values: readonly string[],
  ): Uint32Array {
    const k = kindIndex(kind);
    const a = ACTION_RANK[action];
    const json = JSON.stringify(values);
    const ids = new Uint32Array(values.length);
    // Fast path, a first import: all new, one INSERT. Any stored (or repeated) value fails it at its first row,
    // rolled back to the savepoint, and the lookup below takes over. The lookup costs a second pass over the value
    // index: +23 % on a first 2 M-line import when it always ran (docs/decisions.md).
    if (this.#ids.fits(values.length) && this.#tryInsertAll(this.#ids.next, k, a, profile, json)) {
      const first = this.#ids.take(values.length);
      for (let i = 0; i < values.length; i++) ids[i] = first + i;
      return ids;
    }
    const found = (this.#existingIds.get(json, k, a) as { ids: string | null }).ids ?? '';
    for (let pos = 0; pos < found.length; ) {
      let i = 0;
      while (found.charCodeAt(pos) !== 32) i = i * 10 + found.charCodeAt(pos++) - 48;
      pos++;
      let id = 0;
      while (pos < found.length && found.charCodeAt(pos) !== 32) id = id * 10 + found.charCodeAt(pos++) - 48;
      pos++;
      ids[i] = id;
    }
    const kept: number[] = [];
    const fresh: string[] = [];
    for (let i = 0; i < values.length; i++) {
      if (ids[i] !== 0) {
        kept.push(ids[i]!);
      } else {
        ids[i] = this.#ids.next + fresh.length;
        fresh.push(values[i]!);
      }
    }
    if (kept.length > 0) this.#refreshBulk.run(profile, JSON.stringify(kept));
    if (fresh.length > 0) this.#insertBulk.run(this.#ids.take(fresh.length), k, a, profile, JSON.stringify(fresh));
    return ids;
  }

  /** Inserts every value as new under a savepoint; false (and nothing written) if any one is already stored. */
  #tryInsertAll(first: number, k: number, a: number, profile: number, json: string): boolean {
    try {
      this.#insertAll(first, k, a, profile, json);
      return true;
    } catch (e) {
      if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw e;
    }
  }

  /** The latest createdAt of any version stored (0 if none), read once at open and raised by insertProfile. */
  latestCreatedAt(): number {
    return this.#latestCreatedAt;
  }

  /** The id the next new decision will take (every stored id is below it). */
  get nextId(): number {
    return this.#ids.next;
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
