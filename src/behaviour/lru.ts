/**
 * A capped map that forgets the least recently written key first. JavaScript `Map`s iterate in insertion order,
 * so re-inserting a key on write moves it to the back and the front is always the stalest entry: eviction and
 * touch are O(1) without a linked list of our own.
 *
 *   front (stalest) ── k3 ── k7 ── k1 ── k9 (freshest) ── back
 *                      ▲ evicted first when size > cap
 *
 * Every piece of per-client state in the behaviour engine lives in one of these, so an attacker rotating through
 * millions of addresses costs a bounded amount of memory: the price is that the quietest clients are forgotten.
 */
export class CappedLru<K, V> {
  readonly #map = new Map<K, V>();
  readonly #cap: number;
  #evictions = 0;

  constructor(cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`capacity must be a positive integer, got ${cap}`);
    this.#cap = cap;
  }

  get size(): number {
    return this.#map.size;
  }

  /** How many entries were dropped to stay under the cap since creation (exported as a gauge). */
  get evictions(): number {
    return this.#evictions;
  }

  /** Reads without refreshing the entry's position: reads are frequent and should not keep an entry alive. */
  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#cap) {
      const oldest = this.#map.keys().next().value as K;
      this.#map.delete(oldest);
      this.#evictions++;
    }
  }

  /** Returns the entry, creating it with `make` when absent; the entry becomes the freshest either way. */
  upsert(key: K, make: () => V): V {
    let value = this.#map.get(key);
    if (value === undefined) value = make();
    this.set(key, value);
    return value;
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  entries(): IterableIterator<[K, V]> {
    return this.#map.entries();
  }

  clear(): void {
    this.#map.clear();
  }
}
