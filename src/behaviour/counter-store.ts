import { Budget, CappedLru } from './lru.ts';

/**
 * Sliding-window counters shared by the behaviour detectors. A *series* names one measurement with its window
 * (e.g. `login.fail` over 10 minutes in 30-second buckets); the key is usually a facet (`ip:…`, `http:…`) or a
 * route. Every call is synchronous and local: the Redis implementation aggregates across nodes in the background
 * (src/behaviour/redis-counter-store.ts), so nothing on the request path waits on the network.
 */
export interface SeriesSpec {
  readonly name: string;
  readonly windowMs: number;
  /** Resolution: the window slides in steps of one bucket. */
  readonly bucketMs: number;
}

export interface DistinctSpec extends SeriesSpec {
  /** Members remembered per key; counts saturate here (detector thresholds sit far below). */
  readonly maxMembers: number;
}

export interface CounterStoreStats {
  readonly kind: 'memory' | 'redis';
  readonly keys: number;
  readonly evictions: number;
  /** Redis only: whether the last sync reached the server. */
  readonly connected?: boolean;
}

export interface CounterStore {
  readonly kind: 'memory' | 'redis';
  add(spec: SeriesSpec, key: string, now: number, n?: number): void;
  /** Total over the window ending at `now`. */
  sum(spec: SeriesSpec, key: string, now: number): number;
  addDistinct(spec: DistinctSpec, key: string, member: string, now: number): void;
  /** Distinct members added over the window ending at `now`. */
  distinct(spec: DistinctSpec, key: string, now: number): number;
  /** Pushes local deltas and pulls remote totals now (a timer does it every flush interval); never rejects. */
  sync(): Promise<void>;
  stats(): CounterStoreStats;
  close(): Promise<void>;
}

/**
 * One key's window, drawn for a 60 s window in 10 s buckets at t = 125 s (bucket index 12):
 *
 *   slot:    0     1     2     3     4     5
 *   index:  12     7     8     9    10    11      (index = floor(t / bucketMs), slot = index % slots)
 *   count:   4     9     2     0     5     1      → sum counts whose index > 12 - 6, i.e. 7..12
 *
 * A slot whose index is stale is reset on write and skipped on read, so no timer ever sweeps the rings.
 *
 * All rings of one series live side by side in two growable Float64Arrays, a ring being a row number. Two typed
 * arrays per key (the first design) made 120 000 ArrayBuffers for 20 000 clients: ~35 MB of heap, and work for
 * every garbage collection (bench/profile.ts, docs/benchmarks.md). Rows freed by eviction are reused.
 */
class RingSlab {
  readonly #slots: number;
  #counts: Float64Array;
  #index: Float64Array;
  #rows = 0;
  readonly #free: number[] = [];

  constructor(slots: number) {
    this.#slots = slots;
    this.#counts = new Float64Array(slots * 64);
    this.#index = new Float64Array(slots * 64).fill(-1);
  }

  alloc(): number {
    const row = this.#free.pop() ?? this.#rows++;
    const at = row * this.#slots;
    if (at + this.#slots > this.#counts.length) this.#grow();
    this.#counts.fill(0, at, at + this.#slots);
    this.#index.fill(-1, at, at + this.#slots);
    return row;
  }

  release(row: number): void {
    this.#free.push(row);
  }

  add(row: number, idx: number, n: number): void {
    const at = row * this.#slots + (idx % this.#slots);
    if (this.#index[at] !== idx) {
      this.#index[at] = idx;
      this.#counts[at] = 0;
    }
    this.#counts[at]! += n;
  }

  sum(row: number, idx: number): number {
    const slots = this.#slots;
    const from = row * slots;
    let total = 0;
    for (let at = from; at < from + slots; at++) if (this.#index[at]! > idx - slots) total += this.#counts[at]!;
    return total;
  }

  #grow(): void {
    const counts = new Float64Array(this.#counts.length * 2);
    counts.set(this.#counts);
    const index = new Float64Array(this.#index.length * 2).fill(-1);
    index.set(this.#index);
    this.#counts = counts;
    this.#index = index;
  }
}

/** One series' keys → rows of its slab. */
interface RingSeries {
  readonly rows: CappedLru<string, number>;
  readonly slab: RingSlab;
}

/**
 * Distinct members as member → last seen, oldest first (re-inserted on each sighting). Counting drops expired
 * members from the front, so it costs O(expired) and the set never outgrows `maxMembers`.
 */
class Members {
  readonly seen = new Map<string, number>();
  /**
   * A member seen again within one bucket keeps its place: the window only resolves time to a bucket anyway, and
   * moving a member to the back costs a delete and an insert in the map (the largest part of counting distinct
   * ids per client under load, bench/profile.ts).
   */
  add(member: string, now: number, max: number, bucketMs: number): void {
    const at = this.seen.get(member);
    if (at !== undefined && now - at < bucketMs) return;
    if (at !== undefined) this.seen.delete(member);
    this.seen.set(member, now);
    if (this.seen.size > max) this.seen.delete(this.seen.keys().next().value as string);
  }
  count(now: number, windowMs: number): number {
    for (const [member, at] of this.seen) {
      if (at > now - windowMs) break;
      this.seen.delete(member);
    }
    return this.seen.size;
  }
}

export function slotsOf(spec: SeriesSpec): number {
  return Math.max(1, Math.ceil(spec.windowMs / spec.bucketMs));
}

export function bucketIndex(spec: SeriesSpec, now: number): number {
  return Math.floor(now / spec.bucketMs);
}

/**
 * The embedded store: exact counts per key in a capped LRU (default 200 000 keys across all series). We chose
 * exact rings over count-min sketches because a sketch only ever over-counts, and its collisions land on
 * whichever innocent key shares a cell: for a product whose promise is not blocking legitimate users, an
 * occasionally forgotten quiet key is the better failure (docs/rationale.md, bench/behaviour-profile.ts).
 */
export class MemoryCounterStore implements CounterStore {
  readonly kind = 'memory' as const;
  /** One map per series, keyed by the caller's own strings (facets are reused, so their hashes are cached). */
  readonly #rings = new Map<string, RingSeries>();
  readonly #members = new Map<string, CappedLru<string, Members>>();
  readonly #ringBudget: Budget;
  readonly #memberBudget: Budget;

  constructor(options: { maxKeys?: number } = {}) {
    const maxKeys = options.maxKeys ?? 200_000;
    this.#ringBudget = new Budget(maxKeys);
    this.#memberBudget = new Budget(Math.max(1, Math.floor(maxKeys / 4)));
  }

  #series<T>(maps: Map<string, CappedLru<string, T>>, name: string, budget: Budget): CappedLru<string, T> {
    let map = maps.get(name);
    if (map === undefined) {
      map = new CappedLru<string, T>(budget);
      maps.set(name, map);
    }
    return map;
  }

  #ringSeries(spec: SeriesSpec): RingSeries {
    let series = this.#rings.get(spec.name);
    if (series === undefined) {
      const slab = new RingSlab(slotsOf(spec));
      series = { slab, rows: new CappedLru<string, number>(this.#ringBudget, (_key, row) => slab.release(row)) };
      this.#rings.set(spec.name, series);
    }
    return series;
  }

  add(spec: SeriesSpec, key: string, now: number, n = 1): void {
    const { rows, slab } = this.#ringSeries(spec);
    let row = rows.use(key);
    if (row === undefined) {
      row = slab.alloc();
      rows.set(key, row);
    }
    slab.add(row, bucketIndex(spec, now), n);
  }

  sum(spec: SeriesSpec, key: string, now: number): number {
    const series = this.#rings.get(spec.name);
    const row = series?.rows.get(key);
    return row === undefined ? 0 : series!.slab.sum(row, bucketIndex(spec, now));
  }

  addDistinct(spec: DistinctSpec, key: string, member: string, now: number): void {
    const map = this.#series(this.#members, spec.name, this.#memberBudget);
    map.upsert(key, () => new Members()).add(member, now, spec.maxMembers, spec.bucketMs);
  }

  distinct(spec: DistinctSpec, key: string, now: number): number {
    return this.#members.get(spec.name)?.get(key)?.count(now, spec.windowMs) ?? 0;
  }

  async sync(): Promise<void> {}

  stats(): CounterStoreStats {
    let evictions = 0;
    for (const m of [...[...this.#rings.values()].map((r) => r.rows), ...this.#members.values()])
      evictions += m.evictions;
    return { kind: 'memory', keys: this.#ringBudget.used + this.#memberBudget.used, evictions };
  }

  async close(): Promise<void> {
    for (const r of this.#rings.values()) r.rows.clear();
    for (const m of this.#members.values()) m.clear();
  }
}
