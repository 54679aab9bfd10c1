/**
 * A capped map for per-client state. Every piece of per-client state in the behaviour engine lives in one of
 * these, so an attacker rotating through millions of addresses costs a bounded amount of memory: the price is
 * that the quietest clients are forgotten first.
 *
 * Eviction is CLOCK, the second-chance approximation of LRU (Corbató 1968; as in most OS page caches): a write
 * to an existing key only sets its reference bit, with no reordering, because re-inserting into a `Map` on every
 * write measured as the engine's largest single cost (bench/behaviour-profile.ts). When the map is full, the
 * oldest entry is looked at: referenced → bit cleared, moved to the back; not referenced → evicted.
 *
 *   front ── [k3 ref] ── [k7] ── [k1 ref] ── … ── back
 *            moved back   evicted
 *
 * Several maps may share one `Budget`, so a counter store caps its keys across all its series at once.
 */
export class Budget {
  used = 0;
  constructor(readonly cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`capacity must be a positive integer, got ${cap}`);
  }
}

interface Entry<V> {
  value: V;
  ref: boolean;
}

export class CappedLru<K, V> {
  readonly #map = new Map<K, Entry<V>>();
  readonly #budget: Budget;
  readonly #onEvict: ((key: K, value: V) => void) | undefined;
  #evictions = 0;
  /**
   * The last entry found or made. Detectors often touch one key twice in a row (add, then sum the window), and
   * with many clients each Map probe is a cache miss or two; comparing a key first is not.
   */
  #lastKey: K | undefined;
  #lastEntry: Entry<V> | undefined;

  /** `onEvict` hears of entries dropped to stay under the cap (not of `delete` or `clear`). */
  constructor(cap: number | Budget, onEvict?: (key: K, value: V) => void) {
    this.#budget = typeof cap === 'number' ? new Budget(cap) : cap;
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#map.size;
  }

  /** How many entries were dropped to stay under the cap since creation (exported as a gauge). */
  get evictions(): number {
    return this.#evictions;
  }

  /** Reads without marking the entry: reads are frequent and should not keep an entry alive. */
  get(key: K): V | undefined {
    return this.#find(key)?.value;
  }

  #find(key: K): Entry<V> | undefined {
    if (this.#lastEntry !== undefined && key === this.#lastKey) return this.#lastEntry;
    const e = this.#map.get(key);
    if (e !== undefined) {
      this.#lastKey = key;
      this.#lastEntry = e;
    }
    return e;
  }

  /** Reads and marks the entry as used (a write through the returned value counts as use). */
  use(key: K): V | undefined {
    const e = this.#find(key);
    if (e === undefined) return undefined;
    e.ref = true;
    return e.value;
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  set(key: K, value: V): void {
    const e = this.#find(key);
    if (e !== undefined) {
      e.value = value;
      e.ref = true;
      return;
    }
    this.#insert(key, value);
  }

  /** Returns the entry, creating it with `make` when absent; either way it counts as used. */
  upsert(key: K, make: () => V): V {
    const e = this.#find(key);
    if (e !== undefined) {
      e.ref = true;
      return e.value;
    }
    const value = make();
    this.#insert(key, value);
    return value;
  }

  #insert(key: K, value: V): void {
    const entry = { value, ref: false };
    this.#map.set(key, entry);
    this.#lastKey = key;
    this.#lastEntry = entry;
    this.#budget.used++;
    // Bounded second chances: past 8 referenced entries in a row the next one goes regardless.
    for (let tries = 0; this.#budget.used > this.#budget.cap && this.#map.size > 1; tries++) {
      const [oldKey, old] = this.#map.entries().next().value as [K, Entry<V>];
      this.#map.delete(oldKey);
      if (old.ref && tries < 8) {
        old.ref = false;
        this.#map.set(oldKey, old);
        continue;
      }
      this.#budget.used--;
      this.#evictions++;
      if (oldKey === this.#lastKey) this.#lastEntry = undefined;
      this.#onEvict?.(oldKey, old.value);
    }
  }

  delete(key: K): boolean {
    if (key === this.#lastKey) this.#lastEntry = undefined;
    const had = this.#map.delete(key);
    if (had) this.#budget.used--;
    return had;
  }

  *entries(): IterableIterator<[K, V]> {
    for (const [k, e] of this.#map) yield [k, e.value];
  }

  clear(): void {
    this.#budget.used -= this.#map.size;
    this.#map.clear();
    this.#lastEntry = undefined;
  }
}
