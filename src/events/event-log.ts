import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PortcullisEvent } from './event.ts';

/**
 * The embedded event log: `events.db` (SQLite, WAL) in the data dir. Events arrive on the hot path, so `append`
 * only queues them; a timer writes the queue in one transaction every `flushMs` (or at `maxBatch`), and `close`
 * writes what is left. A failed write keeps the batch and retries, so an accepted event is not dropped for a
 * transient error; past `maxQueue` the oldest queued events are counted as dropped and reported.
 *
 * Rows: seq (monotonic, the paging cursor), time, type, id, json. Old rows are pruned past `retainRows`.
 */
export interface EventLogOptions {
  readonly dataDir: string;
  readonly flushMs?: number;
  readonly maxBatch?: number;
  readonly maxQueue?: number;
  readonly retainRows?: number;
  readonly onError?: (error: unknown) => void;
}

export interface StoredEvent {
  readonly seq: number;
  readonly event: PortcullisEvent;
}

export class EventLog {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #queue: PortcullisEvent[] = [];
  readonly #timer: NodeJS.Timeout;
  readonly #options: Required<Omit<EventLogOptions, 'dataDir' | 'onError'>>;
  readonly #onError: ((error: unknown) => void) | undefined;
  #dropped = 0;
  #writes = 0;

  constructor(options: EventLogOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.#options = {
      flushMs: options.flushMs ?? 100,
      maxBatch: options.maxBatch ?? 2_000,
      maxQueue: options.maxQueue ?? 200_000,
      retainRows: options.retainRows ?? 1_000_000,
    };
    this.#onError = options.onError;
    this.#db = new Database(join(options.dataDir, 'events.db'));
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      time INTEGER NOT NULL,
      type TEXT NOT NULL,
      id TEXT NOT NULL,
      json TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS events_time ON events(time);
    CREATE INDEX IF NOT EXISTS events_id ON events(id);`);
    this.#insert = this.#db.prepare('INSERT INTO events (time, type, id, json) VALUES (?, ?, ?, ?)');
    this.#timer = setInterval(() => this.flush(), this.#options.flushMs);
    this.#timer.unref();
  }

  get dropped(): number {
    return this.#dropped;
  }

  append(event: PortcullisEvent): void {
    if (this.#queue.length >= this.#options.maxQueue) {
      this.#queue.shift();
      this.#dropped++;
    }
    this.#queue.push(event);
    if (this.#queue.length >= this.#options.maxBatch) setImmediate(() => this.flush());
  }

  /** Writes every queued event now. Returns false (and keeps them queued) when the write failed. */
  flush(): boolean {
    if (this.#queue.length === 0) return true;
    const batch = this.#queue.slice();
    try {
      this.#db.transaction(() => {
        for (const e of batch) this.#insert.run(e.time, e.type, e.id, JSON.stringify(e));
      })();
    } catch (error) {
      this.#onError?.(error);
      return false;
    }
    this.#queue.splice(0, batch.length);
    if (++this.#writes % 500 === 0) this.#prune();
    return true;
  }

  #prune(): void {
    this.#db.prepare('DELETE FROM events WHERE seq <= (SELECT MAX(seq) FROM events) - ?').run(this.#options.retainRows);
  }

  /**
   * Events after a cursor, oldest first. `since` is an epoch-ms time or an ISO date; `after` is a seq cursor
   * from a previous page (what `next` returned). Queued events are flushed first so a reader sees everything
   * accepted so far.
   */
  read(filter: { since?: number; after?: number; type?: string; incident?: string; limit: number }): {
    events: StoredEvent[];
    next: number | undefined;
  } {
    this.flush();
    const where: string[] = [];
    const args: (number | string)[] = [];
    if (filter.after !== undefined) {
      where.push('seq > ?');
      args.push(filter.after);
    }
    if (filter.since !== undefined) {
      where.push('time >= ?');
      args.push(filter.since);
    }
    if (filter.type !== undefined) {
      where.push('type = ?');
      args.push(filter.type);
    }
    if (filter.incident !== undefined) {
      where.push('id = ?');
      args.push(filter.incident);
    }
    const sql = `SELECT seq, json FROM events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`;
    const rows = this.#db.prepare(sql).all(...args, filter.limit) as { seq: number; json: string }[];
    const events = rows.map((r) => ({ seq: r.seq, event: JSON.parse(r.json) as PortcullisEvent }));
    return { events, next: rows.length === filter.limit ? rows[rows.length - 1]!.seq : undefined };
  }

  close(): void {
    clearInterval(this.#timer);
    this.flush();
    this.#db.close();
  }
}
