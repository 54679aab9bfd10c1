/**
 * Open-addressing hash table from a uint32 key to (decision id, profile), in three parallel typed arrays.
 *
 *   slot:      0        1        2        3      ...   capacity-1     capacity = 2^k, load ≤ 0.75
 *   keys   [ 0a000001 | ........ | c0000207 | ... ]      uint32 address (or encoded prefix)
 *   ids    [    17    |    0     |   9051   | ... ]      decision id; 0 marks an empty slot
 *   profs  [     3    |    0     |    3     | ... ]      profile index (action, reason, expiry: profiles.ts)
 *
 * 12 bytes a slot, no per-entry object: 10 M addresses fit in 2^24 slots = 192 MiB, where a Map<number, object>
 * would take over a gigabyte. Linear probing keeps a probe inside one or two cache lines; Fibonacci hashing
 * (Knuth, TAOCP 6.4) spreads sequential addresses; deletion shifts the cluster back instead of leaving
 * tombstones (Knuth Algorithm R), so lookups never slow down after churn.
 */
export class U32Table {
  keys: Uint32Array;
  ids: Uint32Array;
  profs: Uint32Array;
  #shift: number;
  #mask: number;
  #size = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap * 0.75 < initialCapacity) cap *= 2;
    this.keys = new Uint32Array(cap);
    this.ids = new Uint32Array(cap);
    this.profs = new Uint32Array(cap);
    this.#mask = cap - 1;
    this.#shift = 32 - Math.log2(cap);
  }

  get size(): number {
    return this.#size;
  }

  get capacity(): number {
    return this.keys.length;
  }

  /** Slot holding `key`, or -1. Allocation-free. */
  find(key: number): number {
    const ids = this.ids;
    const keys = this.keys;
    let i = Math.imul(key, 0x9e3779b1) >>> this.#shift;
    while (ids[i] !== 0) {
      if (keys[i] === key) return i;
      i = (i + 1) & this.#mask;
    }
    return -1;
  }

  /** Inserts or overwrites the entry for `key`. `id` must be non-zero. */
  set(key: number, id: number, prof: number): void {
    if ((this.#size + 1) * 4 > this.keys.length * 3) this.#grow();
    let i = Math.imul(key, 0x9e3779b1) >>> this.#shift;
    while (this.ids[i] !== 0) {
      if (this.keys[i] === key) break;
      i = (i + 1) & this.#mask;
    }
    if (this.ids[i] === 0) this.#size++;
    this.keys[i] = key;
    this.ids[i] = id;
    this.profs[i] = prof;
  }

  /** Removes the entry in `slot` (from find) and closes the gap behind it. */
  removeAt(slot: number): void {
    const mask = this.#mask;
    let gap = slot;
    let i = slot;
    for (;;) {
      i = (i + 1) & mask;
      if (this.ids[i] === 0) break;
      const home = Math.imul(this.keys[i]!, 0x9e3779b1) >>> this.#shift;
      // Move the entry at i into the gap when its home is not cyclically within (gap, i].
      const inRange = gap <= i ? home > gap && home <= i : home > gap || home <= i;
      if (!inRange) {
        this.keys[gap] = this.keys[i]!;
        this.ids[gap] = this.ids[i]!;
        this.profs[gap] = this.profs[i]!;
        gap = i;
      }
    }
    this.ids[gap] = 0;
    this.#size--;
  }

  /** Calls fn for every entry; fn may not insert, but may ask for removal by returning true. */
  sweep(fn: (key: number, id: number, prof: number) => boolean): number {
    let removed = 0;
    // Walk backwards from an empty slot so backward-shift deletion never moves an unvisited entry behind us.
    const cap = this.keys.length;
    let start = 0;
    while (start < cap && this.ids[start] !== 0) start++;
    for (let n = 0; n < cap; n++) {
      const i = (start - n + cap) & this.#mask;
      if (this.ids[i] !== 0 && fn(this.keys[i]!, this.ids[i]!, this.profs[i]!)) {
        this.removeAt(i);
        removed++;
      }
    }
    return removed;
  }

  #grow(): void {
    const { keys, ids, profs } = this;
    const cap = keys.length * 2;
    this.keys = new Uint32Array(cap);
    this.ids = new Uint32Array(cap);
    this.profs = new Uint32Array(cap);
    this.#mask = cap - 1;
    this.#shift--;
    this.#size = 0;
    for (let i = 0; i < keys.length; i++) if (ids[i] !== 0) this.set(keys[i]!, ids[i]!, profs[i]!);
  }
}
