import { IdProfiles } from './id-profiles.ts';

/**
 * Open-addressing hash table from a uint32 key to (decision id, profile): one Int32Array of (key, id) slots, the
 * profile found from the id (id-profiles.ts).
 *
 *   slot:   |    0     |    1     |    2     | ...   capacity = 2^k, load ≤ 0.75
 *   data  [ key   id   | key  id   | key   id  | ... ]  one Int32Array, 2 words a slot
 *           0a000001 17| .... 0    | c0000207 9051
 *   key: uint32 address (or encoded prefix); id: decision id, 0 = empty slot
 *   profs: id → profile index (profiles.ts), paged: an import's run of ids shares one directory word
 *
 * The two words of a slot sit together, so a probe costs one cache miss, not two (separate key/id/profile
 * arrays ran at a seventh of the small-set rate at 1 M entries in bench/decisions-gate.ts).
 * 8 bytes a slot, no per-entry object: 10 M addresses fit in 2^24 slots = 128 MiB, where a Map<number, object>
 * would take over a gigabyte. The profile used to sit in the slot too (12 bytes, 192 MiB at 10 M); a hit now reads
 * it from IdProfiles' directory, which for imported entries is a few KiB and cached. Linear probing keeps a probe
 * inside one or two cache lines. The hash is MurmurHash3's
 * fmix32 finaliser over the key xor a per-table random seed: plain Fibonacci hashing (one multiply) clustered
 * badly on structured keys — 198 probes per miss in bench/decisions-gate.ts — and a fixed public hash would let
 * anyone who can predict our keys build long probe chains. Deletion shifts the cluster back instead of leaving
 * tombstones (Knuth, TAOCP 6.4 Algorithm R), so lookups never slow down after churn.
 *
 * With `filter`, the table also keeps a register-blocked Bloom filter (Putze, Sanders, Singler 2007): one 32-bit word
 * per 8 slots, three bits set per key, all in one word, so a check is one read.
 *
 *   filter [ 0x00410208 | 0x80000000 | ... ]    capacity / 8 words: 8 MiB for 10 M keys (2^24 slots), 6.1 % false
 *   key ──► word (hash₂ top bits), bits (three 5-bit fields of hash₃)    positives measured at that load
 *
 * Why: a probe of the 128 MiB table by a client it has never seen is a DRAM access plus a page walk (175–245 ns on
 * this VM, timed alone over 1 M clients), while the 8 MiB filter, 16 times smaller, stays in the last-level cache
 * for far more of the clients that come back. Most requests come from clients no exact decision names, so most lookups stop at the
 * filter. Removals leave their bits (a Bloom filter cannot unset), which only raises the false-positive rate; the
 * filter is rebuilt once removals outnumber live keys, so the cost stays amortised O(1).
 */
const seed = (Math.random() * 0x100000000) | 0;

/** Told of every key added, and cleared and refilled with the live keys whenever the Bloom filter is rebuilt. */
export interface KeyListener {
  add(key: number): void;
  clear(): void;
}

const filterSeed = (Math.random() * 0x100000000) | 0;

/** The filter word's three bits for `key` (fmix32 under another seed, then a multiply for the bit fields). */
function filterHash(key: number): number {
  let h = key ^ filterSeed;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** MurmurHash3 fmix32 of key ^ seed, top `32 - shift` bits. */
function home(key: number, shift: number): number {
  let h = key ^ seed;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> shift;
}

export class U32Table {
  /**
   * Int32Array and int32 keys (`key | 0`), not uint32: V8 keeps int32 as small integers, while a uint32 above 2^31
   * crossing a call is boxed as a heap number — that made misses allocate at 10 M entries (bench/decisions-gate.ts).
   */
  data: Int32Array;
  /** Profile of each live id. */
  readonly profs = new IdProfiles();
  #shift: number;
  #mask: number;
  #size = 0;
  /** Bloom filter words (capacity / 8), or an empty array when the table keeps none. */
  filter: Int32Array;
  /** 32 − log2(filter words): the hash's top bits pick the word. */
  filterShift = 32;
  readonly #filtered: boolean;
  readonly #keys: KeyListener | undefined;
  #stale = 0;

  /** `keys` (with `filter` only) hears of keys for a second "certainly absent" check kept elsewhere (v4-front.ts). */
  constructor(initialCapacity = 1024, options: { filter?: boolean; keys?: KeyListener } = {}) {
    let cap = 16;
    while (cap * 0.75 < initialCapacity) cap *= 2;
    this.data = new Int32Array(cap * 2);
    this.#mask = cap - 1;
    this.#shift = 32 - Math.log2(cap);
    this.#filtered = options.filter === true;
    this.#keys = this.#filtered ? options.keys : undefined;
    this.filter = new Int32Array(this.#filtered ? cap / 8 : 0);
    this.filterShift = 32 - Math.log2(Math.max(1, cap / 8));
  }

  /**
   * False when `key` is certainly absent; true when it may be present (then `find`). One read.
   * Always true on a table built without a filter.
   */
  mayHave(key: number): boolean {
    if (!this.#filtered) return true;
    const h = filterHash(key | 0);
    const m = bitsOf(h);
    return (this.filter[h >>> this.filterShift]! & m) === m;
  }

  #addToFilter(key: number): void {
    const h = filterHash(key);
    const i = h >>> this.filterShift;
    this.filter[i] = this.filter[i]! | bitsOf(h);
  }

  #rebuildFilter(): void {
    this.filter.fill(0);
    this.#stale = 0;
    this.#keys?.clear();
    const d = this.data;
    for (let i = 0; i < d.length; i += 2) {
      if (d[i + 1] === 0) continue;
      this.#addToFilter(d[i]!);
      this.#keys?.add(d[i]!);
    }
  }

  get size(): number {
    return this.#size;
  }

  get capacity(): number {
    return this.#mask + 1;
  }

  keyAt(slot: number): number {
    return this.data[slot * 2]! >>> 0;
  }

  /** Decision id as stored (uint32): ids past 2^31 must not come back negative from the Int32Array. */
  idAt(slot: number): number {
    return this.data[slot * 2 + 1]! >>> 0;
  }

  profAt(slot: number): number {
    return this.profs.get(this.data[slot * 2 + 1]!);
  }

  /** Slot holding `key`, or -1. Allocation-free. */
  find(key: number): number {
    key |= 0;
    const d = this.data;
    let i = home(key, this.#shift);
    while (d[i * 2 + 1] !== 0) {
      if (d[i * 2] === key) return i;
      i = (i + 1) & this.#mask;
    }
    return -1;
  }

  /** Inserts or overwrites the entry for `key`. `id` must be non-zero. */
  set(key: number, id: number, prof: number): void {
    key |= 0;
    if ((this.#size + 1) * 4 > this.capacity * 3) this.#grow();
    const i = this.#slotFor(key);
    const d = this.data;
    const old = d[i * 2 + 1]!;
    if (old === 0) {
      this.#size++;
      if (this.#filtered) {
        this.#addToFilter(key);
        this.#keys?.add(key);
      }
    } else this.profs.delete(old);
    d[i * 2] = key;
    d[i * 2 + 1] = id;
    this.profs.add(id, prof);
  }

  /** The slot of `key`, or the empty slot where it would go. */
  #slotFor(key: number): number {
    const d = this.data;
    let i = home(key, this.#shift);
    while (d[i * 2 + 1] !== 0) {
      if (d[i * 2] === key) break;
      i = (i + 1) & this.#mask;
    }
    return i;
  }

  /** Removes the entry in `slot` (from find) and closes the gap behind it. */
  removeAt(slot: number): void {
    const d = this.data;
    const mask = this.#mask;
    this.profs.delete(d[slot * 2 + 1]!);
    let gap = slot;
    let i = slot;
    for (;;) {
      i = (i + 1) & mask;
      if (d[i * 2 + 1] === 0) break;
      const h = home(d[i * 2]!, this.#shift);
      // Move the entry at i into the gap when its home is not cyclically within (gap, i].
      const inRange = gap <= i ? h > gap && h <= i : h > gap || h <= i;
      if (!inRange) {
        d[gap * 2] = d[i * 2]!;
        d[gap * 2 + 1] = d[i * 2 + 1]!;
        gap = i;
      }
    }
    d[gap * 2 + 1] = 0;
    this.#size--;
    if (this.#filtered && ++this.#stale > 1024 + this.#size) this.#rebuildFilter();
  }

  /** Calls fn with every key (uint32); fn may not change the table. */
  forEachKey(fn: (key: number) => void): void {
    const d = this.data;
    for (let i = 0; i < d.length; i += 2) if (d[i + 1] !== 0) fn(d[i]! >>> 0);
  }

  /** Calls fn for every entry; fn may not insert, but may ask for removal by returning true. */
  sweep(fn: (key: number, id: number, prof: number) => boolean): number {
    let removed = 0;
    const d = this.data;
    // Walk backwards from an empty slot so backward-shift deletion never moves an unvisited entry behind us.
    const cap = this.capacity;
    let start = 0;
    while (start < cap && d[start * 2 + 1] !== 0) start++;
    for (let n = 0; n < cap; n++) {
      const i = (start - n + cap) & this.#mask;
      const id = d[i * 2 + 1]!;
      if (id !== 0 && fn(d[i * 2]! >>> 0, id >>> 0, this.profs.get(id))) {
        this.removeAt(i);
        removed++;
      }
    }
    return removed;
  }

  #grow(): void {
    this.#resize(this.capacity * 2);
  }

  /** Rehashes every entry into `cap` slots; ids keep their profiles, so `profs` is untouched. */
  #resize(cap: number): void {
    const old = this.data;
    this.data = new Int32Array(cap * 2);
    this.#mask = cap - 1;
    this.#shift = 32 - Math.log2(cap);
    if (this.#filtered) {
      this.filter = new Int32Array(cap / 8);
      this.filterShift = 32 - Math.log2(cap / 8);
      this.#stale = 0;
    }
    const d = this.data;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      const i = this.#slotFor(old[j]!);
      d[i * 2] = old[j]!;
      d[i * 2 + 1] = old[j + 1]!;
      if (this.#filtered) this.#addToFilter(old[j]!);
    }
  }
}

/** Three bits of a 32-bit word, from three 5-bit fields of a remix of the filter hash. */
function bitsOf(h: number): number {
  const g = Math.imul(h, 0x9e3779b1);
  return (1 << (g >>> 27)) | (1 << ((g >>> 22) & 31)) | (1 << ((g >>> 17) & 31));
}
