/**
 * Values found clean under one compiled state: key (the value's text, or `secretKey()` of a secret) → bit set of
 * the input kinds (`KIND_BIT`) it was clean as. Two generations instead of one map cleared when full: a new key
 * goes into `young`; when `young` holds GENERATION keys it becomes `old` and the previous `old` is dropped; a hit
 * in `old` is copied back into `young`.
 *
 *   insert ──► young (≤ GENERATION) ──full──► old (≤ GENERATION) ──next full──► dropped
 *                  ▲                                │
 *                  └──────────── hit ───────────────┘
 *
 * Clearing one map when full forgets everything at once, so clients that come back in a cycle longer than the
 * map (20,000 clients each with an address and a token, as in the gateway benchmark) never hit; with two
 * generations anything seen within the last GENERATION to 2 × GENERATION insertions is still known, and a
 * value that keeps recurring stays. Memory stays bounded: at most 2 × GENERATION keys of at most
 * CACHE_VALUE_MAX characters (run.ts).
 */
export const GENERATION = 32_768;

export class CleanCache {
  #young = new Map<string | number, number>();
  #old = new Map<string | number, number>();

  /** The kinds bit set `key` was found clean as (0 when unknown). */
  get(key: string | number): number {
    const y = this.#young.get(key);
    if (y !== undefined) return y;
    const o = this.#old.get(key);
    if (o === undefined) return 0;
    this.#set(key, o);
    return o;
  }

  /**
   * Sets the whole bit set of `key`: the caller read it with `get` and ORs in the kinds it found clean, so a new
   * value costs one lookup and one insertion, not a second lookup.
   */
  put(key: string | number, bits: number): void {
    this.#set(key, bits);
  }

  clear(): void {
    this.#young.clear();
    this.#old.clear();
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  keys(): (string | number)[] {
    return [...new Set([...this.#young.keys(), ...this.#old.keys()])];
  }

  #set(key: string | number, bits: number): void {
    if (this.#young.size >= GENERATION && !this.#young.has(key)) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, bits);
  }
}
