import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PortcullisError } from '../core/errors.ts';

/**
 * The embedded store's file: `<data dir>/decisions.sqlite`, WAL mode.
 *
 *   profiles  (id, action, reason, source, expires_at, created_by, created_at, evidence)
 *        ▲  one row per add, or per (action, ttl, reason) group of an import: 10 M imported lines share one
 *        │
 *   decisions (id, kind, value, action, profile)      UNIQUE (value, kind, action): a re-add keeps the row and
 *        id and points it at the new profile (sqlite-store.ts)
 *   audit     (id, at, actor, op, target, detail)     append-only: who, what, when, why
 *   meta      (key, value)                              cluster: node id, last stream id read, dirty flag
 *
 * Cluster mode adds `decisions.gid`: the cluster-wide id of a decision that arrived from another node
 * (`<node>-<its local id>`); NULL for decisions made here, whose cluster id is `<this node>-<id>` (cluster.ts).
 *
 * Durability: `synchronous = FULL` in WAL mode fsyncs the WAL at every commit, so a decision is on disk before the
 * API call returns and survives kill -9 and power loss (https://www.sqlite.org/pragma.html#pragma_synchronous).
 * `normal` is allowed by config (survives kill -9, not power loss) and documented as the faster, weaker choice.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS profiles (
  id INTEGER PRIMARY KEY,
  action INTEGER NOT NULL,
  reason TEXT NOT NULL,
  source TEXT NOT NULL,
  expires_at INTEGER,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  evidence TEXT
);
CREATE INDEX IF NOT EXISTS profiles_expires ON profiles(expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS decisions (
  id INTEGER PRIMARY KEY,
  kind INTEGER NOT NULL,
  value TEXT NOT NULL,
  action INTEGER NOT NULL,
  profile INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS decisions_target ON decisions(value, kind, action);
CREATE INDEX IF NOT EXISTS decisions_profile ON decisions(profile);
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  op TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

export const STEADY_CACHE_KIB = 16 * 1024;
/**
 * Page cache while an import writes. Imports write in address order (importer.ts), so the unique index's pages
 * they touch are few and neighbouring: a 10 M-line import took 33–43 s at 32 MiB, 35 s at 64 MiB and 34 s at
 * 128 MiB, while the process kept 376, 410 and 473 MiB resident after it (glibc keeps the freed cache pages).
 */
export const IMPORT_CACHE_KIB = 32 * 1024;

export function openDatabase(dataDir: string, synchronous: 'full' | 'normal'): Database.Database {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (cause) {
    throw new PortcullisError('PC_ERR_DATA_DIR', `cannot create data dir ${dataDir}; check --data-dir`, { cause });
  }
  let db: Database.Database;
  try {
    db = new Database(join(dataDir, 'decisions.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    // 16 MiB of page cache in steady state (the gate, not SQLite, answers requests); imports raise it (importer.ts).
    db.pragma(`cache_size = -${STEADY_CACHE_KIB}`);
    db.pragma('temp_store = MEMORY');
    db.exec(SCHEMA);
    migrate(db);
  } catch (cause) {
    throw new PortcullisError(
      'PC_ERR_DECISIONS_STORE',
      `cannot open ${join(dataDir, 'decisions.sqlite')}: ${(cause as Error).message}; check the data dir is writable and not on a network file system`,
      { cause },
    );
  }
  return db;
}

/** Columns added after the first release; ALTER TABLE is cheap (no rewrite) for a nullable column. */
function migrate(db: Database.Database): void {
  const cols = db.prepare('PRAGMA table_info(decisions)').all() as { name: string }[];
  if (!cols.some((c) => c.name === 'gid')) db.exec('ALTER TABLE decisions ADD COLUMN gid TEXT');
}
