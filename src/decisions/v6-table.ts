/**
 * Open-addressing hash table from (IPv6 address or prefix, prefix length) to (decision id, profile).
 * Same layout and probing as U32Table (see there), with the 128-bit key as four words per slot:
 *
 *   keys  [ w0 w1 w2 w3 | w0 w1 w2 w3 | ... ]   4 × uint32 a slot, host bits already cleared
 *   bits  [     64      |     128     | ... ]   prefix length (128 for exact addresses)
 *   ids   [     42      |      0      | ... ]   0 = empty
 *   profs [      1      |      0      | ... ]
 *
 * 25 bytes a slot. Exact v6 addresses use bits = 128, so one class serves both kinds.
 */
export class V6Table {
  keys: Uint32Array;
  bits: Uint8Array;
  ids: Uint32Array;
  profs: Uint32Array;
  #mask: number;
  #shift: number;
  #size = 0;

  constructor(initialCapacity = 256) {
    let cap = 16;
    while (cap * 0.75 < initialCapacity) cap *= 2;
    this.keys = new Uint32Array(cap * 4);
    this.bits = new Uint8Array(cap);
    this.ids = new Uint32Array(cap);
    this.profs = new Uint32Array(cap);
    this.#mask = cap - 1;
    this.#shift = 32 - Math.log2(cap);
  }

  get size(): number {
    return this.#size;
  }

  #home(w0: number, w1: number, w2: number, w3: number, b: number): number {
    let h = Math.imul(w0 ^ b, 0x9e3779b1);
    h = Math.imul(h ^ w1, 0x85ebca6b);
    h = Math.imul(h ^ w2, 0xc2b2ae35);
    h = Math.imul(h ^ w3, 0x9e3779b1);
    return (h ^ (h >>> 15)) >>> this.#shift;
  }

  /** Slot of (w0..w3, b) or -1; the words must already be masked to b bits. Allocation-free. */
  find(w0: number, w1: number, w2: number, w3: number, b: number): number {
    const keys = this.keys;
    let i = this.#home(w0, w1, w2, w3, b);
    while (this.ids[i] !== 0) {
      const k = i * 4;
      if (this.bits[i] === b && keys[k] === w0 && keys[k + 1] === w1 && keys[k + 2] === w2 && keys[k + 3] === w3) {
        return i;
      }
      i = (i + 1) & this.#mask;
    }
    return -1;
  }

  set(w: ArrayLike<number>, b: number, id: number, prof: number): void {
    if ((this.#size + 1) * 4 > this.ids.length * 3) this.#grow();
    const w0 = w[0]! >>> 0;
    const w1 = w[1]! >>> 0;
    const w2 = w[2]! >>> 0;
    const w3 = w[3]! >>> 0;
    let i = this.find(w0, w1, w2, w3, b);
    if (i === -1) {
      i = this.#home(w0, w1, w2, w3, b);
      while (this.ids[i] !== 0) i = (i + 1) & this.#mask;
      this.#size++;
      this.keys.set([w0, w1, w2, w3], i * 4);
      this.bits[i] = b;
    }
    this.ids[i] = id;
    this.profs[i] = prof;
  }

  removeAt(slot: number): void {
    const mask = this.#mask;
    const k = this.keys;
    let gap = slot;
    let i = slot;
    for (;;) {
      i = (i + 1) & mask;
      if (this.ids[i] === 0) break;
      const home = this.#home(k[i * 4]!, k[i * 4 + 1]!, k[i * 4 + 2]!, k[i * 4 + 3]!, this.bits[i]!);
      const inRange = gap <= i ? home > gap && home <= i : home > gap || home <= i;
      if (!inRange) {
        k.copyWithin(gap * 4, i * 4, i * 4 + 4);
        this.bits[gap] = this.bits[i]!;
        this.ids[gap] = this.ids[i]!;
        this.profs[gap] = this.profs[i]!;
        gap = i;
      }
    }
    this.ids[gap] = 0;
    this.#size--;
  }

  /** Visits every entry; returning true removes it (same backward walk as U32Table.sweep). */
  sweep(fn: (slot: number) => boolean): number {
    const cap = this.ids.length;
    let start = 0;
    while (start < cap && this.ids[start] !== 0) start++;
    let removed = 0;
    for (let n = 0; n < cap; n++) {
      const i = (start - n + cap) & this.#mask;
      if (this.ids[i] !== 0 && fn(i)) {
        this.removeAt(i);
        removed++;
      }
    }
    return removed;
  }

  #grow(): void {
    const { keys, bits, ids, profs } = this;
    const cap = ids.length * 2;
    this.keys = new Uint32Array(cap * 4);
    this.bits = new Uint8Array(cap);
    this.ids = new Uint32Array(cap);
    this.profs = new Uint32Array(cap);
    this.#mask = cap - 1;
    this.#shift--;
    this.#size = 0;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] !== 0) this.set(keys.subarray(i * 4, i * 4 + 4), bits[i]!, ids[i]!, profs[i]!);
    }
  }
}
