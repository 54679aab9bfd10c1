import { bucketSpan } from './cover-bits.ts';
import { U32Table } from './u32-table.ts';
import { V4Front } from './v4-front.ts';

/**
 * IPv4 prefixes of every length, found for an address in a bounded number of hash probes.
 *
 * Each prefix p/L (L ≤ 31) is one entry of a U32Table under the "heap index" key (1 << L) | (p >>> (32 − L)):
 * the position of that prefix in a complete binary trie numbered breadth-first, so keys of different lengths
 * never collide and no length field is needed. /32s get their own table (their key would need 33 bits).
 *
 *   root(1) ─┬─ 0/1 (2) ─┬─ 0/2 (4) ...      key(p/L) = 2^L + p>>>(32−L)
 *            └─ 128/1 (3) └─ 64/2 (5) ...     e.g. 10.0.0.0/8 → 256 + 10 = 266
 *
 * A lookup must try every length some prefix uses. To keep that short a 64 Ki-entry filter records, for each /16,
 * which lengths 16..31 have a prefix inside it (bit L−16), and one word records which lengths 0..15 exist at all:
 *
 *   lenMask16[ 203.0 ] = 0b0000_0001_0000_0001   → only /24 and /16 prefixes under 203.0.0.0/16: two probes
 *
 * Prefixes shorter than /16 have heap keys below 2^16, so they live in a flat 64 Ki-slot array (DirectTable)
 * read without hashing: a list with many /8–/15 entries (bogon and RIR lists) costs array reads, not probes.
 *
 * In front of all of it sits `cover`, one bit per /24 (the cover lane of v4-front.ts, shared with the exact table): a
 * client whose /24 no prefix touches — most clients — is answered with one read of a 4 MiB bitmap and no probe.
 *
 * Probes per lookup ≤ 33 whatever the number of prefixes, so lookup is O(1) in the size of the list; in practice
 * 0 for an uncovered /24, 1–8 for a covered one (measured in bench/decisions-gate.ts). Per-/16 counts (Uint16: at most 2^15 prefixes of one length fit in a
 * /16) let removals clear the filter bits exactly. A multibit trie (DIR-24-8, Gupta et al. 1998) probes fewer
 * times but its 64 MiB first level alone is a sixth of our memory budget; this filter costs 2.25 MiB.
 */
export class Cidr4Index {
  readonly table = new U32Table(256);
  readonly full = new U32Table(64);
  /** Prefixes shorter than /16: at most 2^16 − 1 of them, so they index a flat array by key, no hashing. */
  readonly short = new DirectTable();
  readonly lenMask16 = new Uint32Array(65536);
  /** Which /24s some prefix touches, in its cover lane (may over-report after removals; see v4-front.ts). */
  readonly cover: V4Front;
  #count16 = new Uint16Array(65536 * 16);
  #shortCount = new Uint32Array(16);
  shortMask = 0;

  constructor(front: V4Front) {
    this.cover = front;
  }

  get size(): number {
    return this.table.size + this.full.size + this.short.size;
  }

  static key(prefix: number, bits: number): number {
    return bits === 0 ? 1 : (prefix >>> (32 - bits)) | (1 << bits);
  }

  /** Slot in table (or in full for /32) of prefix/bits, or -1. */
  find(prefix: number, bits: number): number {
    return this.tableFor(bits).find(bits === 32 ? prefix : Cidr4Index.key(prefix, bits));
  }

  tableFor(bits: number): U32Table | DirectTable {
    return bits === 32 ? this.full : bits < 16 ? this.short : this.table;
  }

  /** Records that prefix/bits now has an entry (call once per new key). */
  noteAdded(prefix: number, bits: number): void {
    const span = bucketSpan(bits);
    this.cover.addCover((prefix >>> 8) & ~(span - 1), span);
    if (bits === 32) return;
    if (bits < 16) {
      if (this.#shortCount[bits]!++ === 0) this.shortMask |= 1 << bits;
      return;
    }
    const hi = prefix >>> 16;
    const c = hi * 16 + (bits - 16);
    if (this.#count16[c]!++ === 0) this.lenMask16[hi] = (this.lenMask16[hi]! | (1 << (bits - 16))) >>> 0;
  }

  noteRemoved(prefix: number, bits: number): void {
    if (this.cover.coverRemoved(this.size)) this.#rebuildCover();
    if (bits === 32) return;
    if (bits < 16) {
      if (--this.#shortCount[bits]! === 0) this.shortMask &= ~(1 << bits);
      return;
    }
    const hi = prefix >>> 16;
    const c = hi * 16 + (bits - 16);
    if (--this.#count16[c]! === 0) this.lenMask16[hi] = (this.lenMask16[hi]! & ~(1 << (bits - 16))) >>> 0;
  }

  /** Sets `cover` again from the prefixes held now, dropping bits that removals left behind. */
  #rebuildCover(): void {
    const c = this.cover;
    c.clearCover();
    const heapKey = (key: number) => {
      const [prefix, bits] = Cidr4Index.decode(key);
      const span = bucketSpan(bits);
      c.addCover((prefix >>> 8) & ~(span - 1), span);
    };
    this.table.forEachKey(heapKey);
    this.short.forEachKey(heapKey);
    this.full.forEachKey((addr) => c.addCover(addr >>> 8, 1));
  }

  /** Decodes a table key back into [prefix, bits]. */
  static decode(key: number): [number, number] {
    const bits = 31 - Math.clz32(key);
    const prefix = bits === 0 ? 0 : ((key ^ (1 << bits)) << (32 - bits)) >>> 0;
    return [prefix, bits];
  }
}

/** U32Table's interface over a flat array indexed by key (keys < 2^16): find is one read. */
export class DirectTable {
  readonly ids = new Uint32Array(65536);
  readonly profs = new Uint32Array(65536);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  find(key: number): number {
    return this.ids[key] !== 0 ? key : -1;
  }

  idAt(slot: number): number {
    return this.ids[slot]!;
  }

  profAt(slot: number): number {
    return this.profs[slot]!;
  }

  set(key: number, id: number, prof: number): void {
    if (this.ids[key] === 0) this.#size++;
    this.ids[key] = id;
    this.profs[key] = prof;
  }

  forEachKey(fn: (key: number) => void): void {
    for (let k = 1; k < 65536; k++) if (this.ids[k] !== 0) fn(k);
  }

  removeAt(slot: number): void {
    if (this.ids[slot] === 0) return;
    this.ids[slot] = 0;
    this.#size--;
  }

  sweep(fn: (key: number, id: number, prof: number) => boolean): number {
    let removed = 0;
    for (let k = 1; k < 65536; k++) {
      if (this.ids[k] !== 0 && fn(k, this.ids[k]!, this.profs[k]!)) {
        this.removeAt(k);
        removed++;
      }
    }
    return removed;
  }
}
