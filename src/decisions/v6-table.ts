/**
 * Open-addressing hash table from (IPv6 address or prefix, prefix length) to (decision id, profile).
 * Same layout and probing as U32Table (see there), with the 128-bit key as four words per slot:
 *
 *   data [ w0 w1 w2 w3 bits id prof pad | w0 w1 w2 w3 bits id prof pad | ... ]   8 words = 32 bytes a slot
 *          address, host bits cleared; bits = prefix length (128 for exact); id 0 = empty slot
 *
 * A slot is half a cache line, so a probe is one miss. Exact v6 addresses use bits = 128, so one class serves both kinds. Hash: the words folded
 * with multiplies, a per-process random seed, then MurmurHash3's fmix32 (see u32-table.ts for why).
 */
const seed = (Math.random() * 0x100000000) | 0;
export class V6Table {
  /** Int32Array and int32 words, for the reason given in U32Table. */
  data: Int32Array;
  #mask: number;
  #shift: number;
  #size = 0;

  constructor(initialCapacity = 256) {
    let cap = 16;
    while (cap * 0.75 < initialCapacity) cap *= 2;
    this.data = new Int32Array(cap * 8);
    this.#mask = cap - 1;
    this.#shift = 32 - Math.log2(cap);
  }

  get size(): number {
    return this.#size;
  }

  idAt(slot: number): number {
    return this.data[slot * 8 + 5]! >>> 0;
  }

  profAt(slot: number): number {
    return this.data[slot * 8 + 6]!;
  }

  bitsAt(slot: number): number {
    return this.data[slot * 8 + 4]!;
  }

  wordsAt(slot: number): Uint32Array {
    return Uint32Array.from(this.data.subarray(slot * 8, slot * 8 + 4));
  }

  #home(w0: number, w1: number, w2: number, w3: number, b: number): number {
    let h = Math.imul(w0 ^ b ^ seed, 0x9e3779b1);
    h = Math.imul(h ^ w1, 0x85ebca6b);
    h = Math.imul(h ^ w2, 0xc2b2ae35);
    h = Math.imul(h ^ w3, 0x9e3779b1);
    // fmix32 (MurmurHash3) so every input bit reaches the top bits we index by.
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> this.#shift;
  }

  /** Slot of (w0..w3, b) or -1; the words must already be masked to b bits. Allocation-free. */
  find(w0: number, w1: number, w2: number, w3: number, b: number): number {
    w0 |= 0;
    w1 |= 0;
    w2 |= 0;
    w3 |= 0;
    const d = this.data;
    let i = this.#home(w0, w1, w2, w3, b);
    for (;;) {
      const k = i * 8;
      if (d[k + 5] === 0) return -1;
      if (d[k + 4] === b && d[k] === w0 && d[k + 1] === w1 && d[k + 2] === w2 && d[k + 3] === w3) return i;
      i = (i + 1) & this.#mask;
    }
  }

  set(w: ArrayLike<number>, b: number, id: number, prof: number): void {
    if ((this.#size + 1) * 4 > (this.#mask + 1) * 3) this.#grow();
    const w0 = w[0]! | 0;
    const w1 = w[1]! | 0;
    const w2 = w[2]! | 0;
    const w3 = w[3]! | 0;
    const d = this.data;
    let i = this.find(w0, w1, w2, w3, b);
    if (i === -1) {
      i = this.#home(w0, w1, w2, w3, b);
      while (d[i * 8 + 5] !== 0) i = (i + 1) & this.#mask;
      this.#size++;
      const k = i * 8;
      d[k] = w0;
      d[k + 1] = w1;
      d[k + 2] = w2;
      d[k + 3] = w3;
      d[k + 4] = b;
    }
    d[i * 8 + 5] = id;
    d[i * 8 + 6] = prof;
  }

  removeAt(slot: number): void {
    const d = this.data;
    const mask = this.#mask;
    let gap = slot;
    let i = slot;
    for (;;) {
      i = (i + 1) & mask;
      const k = i * 8;
      if (d[k + 5] === 0) break;
      const home = this.#home(d[k]!, d[k + 1]!, d[k + 2]!, d[k + 3]!, d[k + 4]!);
      const inRange = gap <= i ? home > gap && home <= i : home > gap || home <= i;
      if (!inRange) {
        d.copyWithin(gap * 8, k, k + 8);
        gap = i;
      }
    }
    d[gap * 8 + 5] = 0;
    this.#size--;
  }

  /** Visits every entry; returning true removes it (same backward walk as U32Table.sweep). */
  sweep(fn: (slot: number) => boolean): number {
    const cap = this.#mask + 1;
    const d = this.data;
    let start = 0;
    while (start < cap && d[start * 8 + 5] !== 0) start++;
    let removed = 0;
    for (let n = 0; n < cap; n++) {
      const i = (start - n + cap) & this.#mask;
      if (d[i * 8 + 5] !== 0 && fn(i)) {
        this.removeAt(i);
        removed++;
      }
    }
    return removed;
  }

  #grow(): void {
    this.#resize((this.#mask + 1) * 2);
  }

  #resize(cap: number): void {
    const old = this.data;
    this.data = new Int32Array(cap * 8);
    this.#mask = cap - 1;
    this.#shift = 32 - Math.log2(cap);
    this.#size = 0;
    for (let k = 0; k < old.length; k += 8) {
      if (old[k + 5] !== 0) this.set(old.subarray(k, k + 4), old[k + 4]!, old[k + 5]!, old[k + 6]!);
    }
  }
}
