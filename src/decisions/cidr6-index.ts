import { V6Table } from './v6-table.ts';

/**
 * IPv6 prefixes: one V6Table keyed by (masked address, length) plus the list of lengths in use, longest first.
 * A lookup masks the address to each length in the list and probes once per length: at most 129 probes whatever
 * the number of prefixes (O(1) in list size), and real feeds use a handful of lengths (Spamhaus DROPv6: /19–/48;
 * hosting ranges /32, /48, /64). Counts per length keep the list exact under removal.
 */
export class Cidr6Index {
  readonly table = new V6Table(64);
  readonly counts = new Uint32Array(129);
  /** Lengths with at least one prefix, longest first (rebuilt only when a length appears or disappears). */
  lengths: Uint8Array = new Uint8Array(0);

  get size(): number {
    return this.table.size;
  }

  noteAdded(bits: number): void {
    if (this.counts[bits]!++ === 0) this.#rebuild();
  }

  noteRemoved(bits: number): void {
    if (--this.counts[bits]! === 0) this.#rebuild();
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
