import type { DecisionAction } from '../core/decision.ts';

/**
 * What the gate needs to answer about a decision besides its id: action, reason and expiry. Decisions that share
 * all three share one *profile*, so a 10 M-line import with one reason and TTL costs one profile, not 10 M objects;
 * gate tables keep only a uint32 profile index per entry. Each manual or detector decision (own expiry) gets its own.
 *
 *   index:     0 (unused)   1                     2
 *   rank     [ 0          | 3 (block)           | 4 (allow)            ]   allow 4 > block 3 > challenge 2 > tarpit 1
 *   expires  [ 0          | 1767312000000       | 0 (never)            ]   epoch ms
 *   reason   [ ''         | 'firehol level1'    | 'unblocked by ops'   ]
 *   refs     [ 0          | 10000000            | 1                    ]   freed and reused at 0
 */
export const ACTION_RANK: Readonly<Record<DecisionAction, number>> = { allow: 4, block: 3, challenge: 2, tarpit: 1 };
export const RANK_ACTION: readonly (DecisionAction | undefined)[] = [
  undefined,
  'tarpit',
  'challenge',
  'block',
  'allow',
];
export const ALLOW_RANK = 4;

export class Profiles {
  /**
   * Gate entries per action rank (index 1..4), summed over profiles. The gate stops looking once it holds a match
   * of the highest rank any entry has: with no allow anywhere, an exact block needs no prefix probes.
   */
  readonly rankRefs = new Float64Array(5);
  rank = new Uint8Array(64);
  expires = new Float64Array(64);
  reason: string[] = [''];
  #refs = new Uint32Array(64);
  #byKey = new Map<string, number>();
  #keyOf: string[] = [''];
  #free: number[] = [];
  #next = 1;
  /** Min-heap of profile indexes by expiry, so the sweep finds what is due without looking at the rest. */
  #heap: number[] = [];

  /** Profile for (action, reason, expiresAt), created if new; adds `refs` references. */
  acquire(action: DecisionAction, reason: string, expiresAt: number | undefined, refs = 1): number {
    const exp = expiresAt ?? 0;
    const key = `${action}\u0000${exp}\u0000${reason}`;
    let p = this.#byKey.get(key);
    if (p === undefined) {
      p = this.#free.pop() ?? this.#next++;
      if (p >= this.rank.length) this.#grow();
      this.rank[p] = ACTION_RANK[action];
      this.expires[p] = exp;
      this.reason[p] = reason;
      this.#keyOf[p] = key;
      this.#byKey.set(key, p);
      if (exp !== 0) this.#push(p);
    }
    this.#refs[p] = this.#refs[p]! + refs;
    this.#countRank(p, refs);
    return p;
  }

  /** How many gate entries use profile p. */
  refs(p: number): number {
    return this.#refs[p]!;
  }

  /** One more gate entry uses profile p (bulk loads acquire once, then count). */
  ref(p: number): void {
    this.#refs[p] = this.#refs[p]! + 1;
    this.#countRank(p, 1);
  }

  /** The highest action rank any gate entry has, 0 when there is none. */
  get topRank(): number {
    const r = this.rankRefs;
    return r[4]! > 0 ? 4 : r[3]! > 0 ? 3 : r[2]! > 0 ? 2 : r[1]! > 0 ? 1 : 0;
  }

  release(p: number): void {
    const left = this.#refs[p]! - 1;
    this.#refs[p] = left;
    this.#countRank(p, -1);
    // Expiring profiles are freed by takeDue (they are still in the heap); permanent ones here.
    if (left === 0 && this.expires[p] === 0) this.#drop(p);
  }

  action(p: number): DecisionAction {
    return RANK_ACTION[this.rank[p]!]!;
  }

  isExpired(p: number, now: number): boolean {
    const e = this.expires[p]!;
    return e !== 0 && e <= now;
  }

  /** Earliest expiry among live profiles, or Infinity. */
  get nextExpiry(): number {
    const top = this.#heap[0];
    return top === undefined ? Number.POSITIVE_INFINITY : this.expires[top]!;
  }

  /** Pops every profile due at `now`; the caller removes their entries, then calls `freeExpired`. */
  takeDue(now: number): number[] {
    const due: number[] = [];
    while (this.#heap.length > 0 && this.expires[this.#heap[0]!]! <= now) due.push(this.#pop());
    return due;
  }

  freeExpired(p: number): void {
    this.#drop(p);
  }

  get count(): number {
    return this.#byKey.size;
  }

  #countRank(p: number, n: number): void {
    const r = this.rank[p]!;
    this.rankRefs[r] = this.rankRefs[r]! + n;
  }

  #drop(p: number): void {
    this.#countRank(p, -this.#refs[p]!);
    this.#byKey.delete(this.#keyOf[p]!);
    this.#keyOf[p] = '';
    this.reason[p] = '';
    this.rank[p] = 0;
    this.expires[p] = 0;
    this.#refs[p] = 0;
    this.#free.push(p);
  }

  #grow(): void {
    const n = this.rank.length * 2;
    const rank = new Uint8Array(n);
    rank.set(this.rank);
    const expires = new Float64Array(n);
    expires.set(this.expires);
    const refs = new Uint32Array(n);
    refs.set(this.#refs);
    this.rank = rank;
    this.expires = expires;
    this.#refs = refs;
  }

  #push(p: number): void {
    const h = this.#heap;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.expires[h[parent]!]! <= this.expires[p]!) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = p;
  }

  #pop(): number {
    const h = this.#heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const e = this.expires[last]!;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && this.expires[h[r]!]! < this.expires[h[l]!]! ? r : l;
        if (this.expires[h[c]!]! >= e) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
