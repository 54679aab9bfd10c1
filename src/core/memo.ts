/**
 * A bounded memo of values computed from a string key: the caches on the request path (header-name shapes,
 * User-Agent parses, fingerprint hashes, salted facet hashes, token checks) are all this. Two generations of
 * `generation` keys each: when the young one fills it becomes the old one and the previous old one is dropped,
 * and a hit in the old one is copied back. Unlike a map cleared when full, keys that recur in a cycle longer than
 * one generation (20,000 rotating clients against 10,000 slots) still hit, and nothing is scanned to evict.
 */
export class Memo<V> {
  readonly #generation: number;
  #young = new Map<string, V>();
  #old = new Map<string, V>();

  constructor(generation: number) {
    if (!Number.isInteger(generation) || generation < 1)
      throw new RangeError(`generation must be a positive integer, got ${generation}`);
    this.#generation = generation;
  }

  /** The remembered value, or undefined (an old-generation hit is moved to the young one). */
  peek(key: string): V | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const old = this.#old.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, value: V): void {
    if (this.#young.size >= this.#generation) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, value);
  }

  /** The remembered value, computed and remembered on a miss. Pass a function made once, not per call. */
  get(key: string, compute: (key: string) => V): V {
    let value = this.peek(key);
    if (value === undefined) {
      value = compute(key);
      this.set(key, value);
    }
    return value;
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }
}
