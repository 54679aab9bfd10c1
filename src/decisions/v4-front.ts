/**
 * The IPv4 gate's first read: per /24, two bits — does some prefix touch it (`cover`), and does some exact address
 * decision lie in it (`exact`) — packed so that one 32-bit word answers both for a client.
 *
 *   word = /24 >>> 4 (16 /24s a word)          4 MiB for the whole v4 space
 *   bits   31 ……… 16 | 15 ……… 0
 *          exact     | cover            203.0.113.0/24 = /24 0xcb0071 → word 0xcb007, bit 1 (cover), bit 17 (exact)
 *
 * Why: at 10 M exact addresses a clean client's lookup was a parse, a read of this cover bitmap (then 2 MiB, cached)
 * and a read of the exact table's Bloom word (8 MiB: for 65 536 or more distinct clients it is a DRAM read,
 * ~120–140 ns of a ~250 ns lookup on this VM, /tmp probe timed step by step). The exact bit rules out the Bloom read
 * for every client whose /24 holds no exact decision — 69 % of random clients against 10 M random addresses, more
 * for real lists, which cluster in hosting ranges — and costs nothing extra, because it sits in the word the cover
 * check reads anyway.
 *
 * Both lanes only say "certainly absent" or "look": removals leave their bits (the tables behind decide, so a
 * stale bit costs a probe, never a wrong answer). The cover lane is rebuilt by Cidr4Index and the exact lane by
 * the exact table (with its Bloom filter) once removals outnumber live entries, amortised O(1) per removal.
 */
export class V4Front {
  readonly words = new Int32Array(1 << 20);
  #staleCover = 0;

  /** Marks `count` /24s from `first` as touched by a prefix (count a power of two, first a multiple of it). */
  addCover(first: number, count: number): void {
    const w = this.words;
    if (count >= 16) {
      for (let i = first >>> 4; i < (first + count) >>> 4; i++) w[i] = w[i]! | 0xffff;
      return;
    }
    for (let b = first; b < first + count; b++) w[b >>> 4] = w[b >>> 4]! | (1 << (b & 15));
  }

  /** Marks the /24 of address `ip` as holding an exact decision. */
  addExact(ip: number): void {
    const b = ip >>> 8;
    this.words[b >>> 4] = this.words[b >>> 4]! | (1 << (16 + (b & 15)));
  }

  /** 1 when some exact decision may lie in /24 `b`, else 0. */
  exact(b: number): number {
    return (this.words[b >>> 4]! >>> (16 + (b & 15))) & 1;
  }

  /** Counts one prefix removal; true when the owner should rebuild the cover lane (more stale than `live`). */
  coverRemoved(live: number): boolean {
    return ++this.#staleCover > 1024 + live;
  }

  clearCover(): void {
    const w = this.words;
    for (let i = 0; i < w.length; i++) w[i] = w[i]! & ~0xffff;
    this.#staleCover = 0;
  }

  clearExact(): void {
    const w = this.words;
    for (let i = 0; i < w.length; i++) w[i] = w[i]! & 0xffff;
  }
}
