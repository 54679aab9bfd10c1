import type Database from 'better-sqlite3';
import { PortcullisError } from '../core/errors.ts';
import { MAX_ID } from './ids.ts';

/** `meta` key of the next decision id to hand out (the high-water mark, written with each allocation). */
const NEXT_ID_KEY = 'ids.next';

/**
 * Hands out the embedded store's decision ids and keeps their high-water mark in `meta` (sqlite-store.ts writes
 * the rows). Apart from the store's SQL because it holds the rules every write path must share: an id is never
 * handed out twice, and none passes MAX_ID.
 */
/** The store's `meta` table, read and written through the store's own statements. */
export interface MetaTable {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export class IdAllocator {
  #nextId: number;
  readonly #meta: MetaTable;

  constructor(db: Database.Database, meta: MetaTable) {
    // Ids are never given to a second target (the audit log and events name them), so the next id survives the
    // deletion or expiry of the newest decision: `meta.ids.next` is written in the transaction that allocates.
    // max(id) + 1 still counts for files written before the key existed.
    const max = db.prepare('SELECT max(id) AS m FROM decisions').get() as { m: number | null };
    this.#meta = meta;
    const saved = meta.get(NEXT_ID_KEY);
    this.#nextId = Math.max((max.m ?? 0) + 1, saved === undefined ? 1 : Number(saved));
  }

  /** The id the next new decision will take (every stored id is below it). */
  get next(): number {
    return this.#nextId;
  }

  /** Whether `n` more ids can be taken without passing MAX_ID. */
  fits(n: number): boolean {
    return this.#nextId + n - 1 <= MAX_ID;
  }

  /**
   * Takes `n` consecutive new ids. The gate keeps ids as uint32 and the API refuses larger ones, so passing
   * MAX_ID is refused loudly (the caller's transaction rolls back) rather than wrapping onto another decision.
   */
  take(n: number): number {
    const first = this.#nextId;
    if (first + n - 1 > MAX_ID) {
      throw new PortcullisError(
        'PC_ERR_DECISIONS_IDS_EXHAUSTED',
        `decision ids would pass d${MAX_ID} (next is d${first}, ${n} needed), so this write was refused (an import ` +
          'keeps the batches it committed before). Ids grow only when a decision is created, not on re-adds: export the ' +
          'live decisions, stop Portcullis, move decisions.sqlite out of the data dir, start and re-import them ' +
          '(docs/errors.md)',
      );
    }
    this.#nextId = first + n;
    this.#meta.set(NEXT_ID_KEY, String(this.#nextId));
    return first;
  }
}
