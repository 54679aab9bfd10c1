import { bucketSpan, CoverBits } from './cover-bits.ts';
import { V6Table } from './v6-table.ts';

/**
 * IPv6 prefixes: one V6Table keyed by (masked address, length) plus the list of lengths in use, longest first.
 * A lookup masks the address to each length in the list and probes once per length: at most 129 probes whatever
 * the number of prefixes (O(1) in list size), and real feeds use a handful of lengths (Spamhaus DROPv6: /19–/48;
 * hosting ranges /32, /48, /64). Counts per length keep the list exact under removal.
 *
 * `cover` (cover-bits.ts) has one bit per /24 of the v6 space (the top 24 bits of the first word): a client in a
 * /24 no prefix touches skips the probes. Allocated unicast space is 2000::/3 and a list's prefixes sit in the
 * ranges of the networks it lists, so most clean clients land on a clear bit.
 */
export class Cidr6Index {
  readonly table = new V6Table(64);
  readonly counts = new Uint32Array(129);
  /** Which v6 /24s some prefix touches (may over-report after removals). */
  readonly cover = new CoverBits();
  /** Lengths with at least one prefix, longest first (rebuilt only when a length appears or disappears). */
  lengths: Uint8Array = new Uint8Array(0);

  get size(): number {
    return this.table.size;
  }

  /** Records a new prefix of `bits` whose first word is `w0` (call once per new key). */
  noteAdded(w0: number, bits: number): void {
    const span = bucketSpan(bits);
    this.cover.add((w0 >>> 8) & ~(span - 1), span);
    if (this.counts[bits]!++ === 0) this.#rebuild();
  }

  noteRemoved(bits: number): void {
    if (this.cover.removed(this.size)) this.#rebuildCover();
    if (--this.counts[bits]! === 0) this.#rebuild();
  }

  #rebuildCover(): void {
    this.cover.clear();
    const d = this.table.data;
    for (let k = 0; k < d.length; k += 8) {
      if (d[k + 5] === 0) continue;
      const span = bucketSpan(d[k + 4]!);
      this.cover.add((d[k]! >>> 8) & ~(span - 1), span);
    }
  }

  #rebuild(): void {
    const out: number[] = [];
    for (let b = 128; b >= 0; b--) if (this.counts[b]! > 0) out.push(b);
    this.lengths = Uint8Array.from(out);
  }
}

/** Mask of the top `keep` bits of one 32-bit word (keep clamped to 0..32), as an int32 (see U32Table). */
export function wordMask(keep: number): number {
  if (keep >= 32) return -1;
  if (keep <= 0) return 0;
  return -1 << (32 - keep);
}
