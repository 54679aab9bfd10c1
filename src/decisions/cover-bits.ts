/**
 * A negative pre-check for the v6 prefix index: one bit per 2^24 buckets of the address space (a v6 /24 — the top
 * 24 bits of the first word), set when some prefix in the index touches that bucket. (The v4 index keeps the same
 * bits interleaved with the exact table's, v4-front.ts.)
 *
 *   bucket:   0        1        2    …   0xcb0071 (203.0.113.0/24)   …   0xffffff
 *   bit:    [ 0      | 0      | 1      …   1                          …   0        ]   2 MiB, 16 Mi bits
 *             10.0.0.0/8 sets 65 536 bits; 203.0.113.0/24 sets 1; 203.0.113.7/32 sets 1
 *
 * Why: a request from a client no prefix covers — nearly all traffic — would otherwise probe the prefix hash
 * tables once per prefix length in use under its /16, and at 1 M prefixes those tables are tens of MiB, so every
 * probe is a cache and TLB miss (bench/decisions-gate.ts: 1.08 M lookups/s with the probes, see docs/benchmarks.md).
 * A 2 MiB bitmap stays in the L2/L3 cache and answers "nothing here" in one read.
 *
 * Removals do not clear bits (a bucket may hold other prefixes, and counting per bucket would cost 16–32 MiB).
 * A stale bit is only a wasted probe, never a wrong answer, because the index behind it decides. The owner
 * rebuilds the bitmap from its tables once more removals have gone by than it holds live entries, so the work is
 * amortised O(1) per removal and the stale share stays at most half.
 */
export class CoverBits {
  readonly words = new Int32Array(1 << 19);
  #stale = 0;

  /** 1 when some prefix may cover bucket `b` (0 ≤ b < 2^24), else 0. */
  has(b: number): number {
    return (this.words[b >>> 5]! >>> (b & 31)) & 1;
  }

  /** Marks `count` buckets from `first` (count a power of two, first a multiple of it: a prefix's range). */
  add(first: number, count: number): void {
    const w = this.words;
    if (count >= 32) {
      w.fill(-1, first >>> 5, (first + count) >>> 5);
      return;
    }
    for (let b = first; b < first + count; b++) w[b >>> 5] = w[b >>> 5]! | (1 << (b & 31));
  }

  /** Counts one removal; true when the owner should rebuild (more stale removals than `live` entries). */
  removed(live: number): boolean {
    return ++this.#stale > 1024 + live;
  }

  clear(): void {
    this.words.fill(0);
    this.#stale = 0;
  }
}

/** Buckets a prefix of `bits` starting at bucket `first` spans: 2^(24 − bits), at least 1. */
export function bucketSpan(bits: number): number {
  return bits >= 24 ? 1 : 2 ** (24 - bits);
}
