import type { Clock } from '../core/clock.ts';
import type { DecisionAction, DecisionGate, GateMatch } from '../core/decision.ts';
import type { Facet } from '../core/facet.ts';
import { formatV4, formatV6, parseIp, V4, V6 } from './addr.ts';
import { Cidr4Index } from './cidr4-index.ts';
import { Cidr6Index, wordMask } from './cidr6-index.ts';
import { gateRemove } from './gate-write.ts';
import { formatId } from './ids.ts';
import { Profiles } from './profiles.ts';
import { parseTarget, type Target } from './target.ts';
import { U32Table } from './u32-table.ts';
import { V4Front } from './v4-front.ts';
import { V6Table } from './v6-table.ts';

const M_NONE = 0;
const M_FACET = 1;
const M_CIDR4 = 2;
const M_CIDR6 = 3;
/**
 * GateMatch cache size. Building an answer allocates (id text, prefix text, one object); blocked clients repeat, so
 * their answers are kept. 4 096 slots were fewer than the distinct blocked clients of bench/decisions-gate.ts, which
 * then kept evicting each other; 16 384 hold at most that many small objects (a few MB).
 */
const CACHE_SLOTS = 16384;

/** What the gate holds for a target: the one decision that wins on it. */
export interface GateEntry {
  readonly id: number;
  readonly action: DecisionAction;
  readonly reason: string;
  readonly expiresAt?: number | undefined;
}

/** Reads the best active decision on a target from the store, and how many active ones it has in all. */
export type Resolver = (t: Target) => { best: GateEntry; total: number } | undefined;

/**
 * The in-memory decision set the gate stage asks, built from compact tables (see each file's drawing):
 *
 *   ip:v4 ──► V4Front word          per /24: exact here? prefix here?   (one read for both)
 *   ip:v4 ──► U32Table ip4          Bloom word, exact addresses  ┐
 *   ip:v4 ──► Cidr4Index            ≤ 33 probes                  │ best rank wins: allow > block > challenge > tarpit;
 *   ip:v6 ──► V6Table ip6 (/128)    exact addresses              │ on equal rank the more specific match
 *   ip:v6 ──► Cidr6Index            /24 bitmap, one probe a len  │ (exact, then longest prefix)
 *   tls:, http:, principal:, account: ──► Map<facet, entry>      ┘
 *
 * Each table slot holds the *winning* decision on its key; a decision that loses on the same key (a block under
 * an allow) stays in the store and is counted in `#shadowed`, so when the winner goes the loser is re-read from
 * the store through `resolve` — that is how an expiring allow hands back to the block it was lifting.
 * Expired entries stop matching at once (their profile's expiry is checked on a hit); `sweep` removes them later.
 * An expired winner over a shadowed decision is replaced by the lookup that meets it, not by the next sweep: until
 * then the block an "allow for 24 h" was lifting did not apply for up to a sweep interval (1 s). That costs one
 * store read per expiry, and nothing on lookups that meet no expired entry.
 */
export class GateIndex implements DecisionGate {
  readonly profiles = new Profiles();
  /** Per /24: may a prefix touch it, may an exact address lie in it (one word read for both; v4-front.ts). */
  readonly v4Front = new V4Front();
  readonly ip4 = new U32Table(1024, {
    filter: true,
    keys: { add: (k) => this.v4Front.addExact(k), clear: () => this.v4Front.clearExact() },
  });
  readonly ip6 = new V6Table(64);
  readonly cidr4 = new Cidr4Index(this.v4Front);
  readonly cidr6 = new Cidr6Index();
  readonly others = new Map<string, { id: number; prof: number }>();
  readonly #clock: Clock;
  /** target key (`kind:value`) → number of decisions on it that lost to the one in the table. */
  readonly #shadowed = new Map<string, number>();
  #resolve: Resolver;

  // Lookup scratch: instance fields, so a miss allocates nothing.
  readonly #addr = new Uint32Array(4);
  readonly #bestW = new Uint32Array(4);
  #now = -1;
  #bestRank = 0;
  /** Highest rank any entry has (Profiles.topRank) for this lookup: a match of that rank cannot be beaten. */
  #top = 0;
  #bestId = 0;
  #bestProf = 0;
  #bestKind = M_NONE;
  #bestFacet = '';
  #bestBits = 0;
  /** An expired entry met by this lookup while some key has shadowed decisions: what and where (see #refresh). */
  #staleKind = M_NONE;
  #staleId = 0;
  #staleFacet = '';
  #staleBits = 0;
  /**
   * Recent answers by decision id (direct-mapped, 16 384 slots); repeat hits from the same blocked client then
   * allocate nothing. A re-add keeps its decision's id with a new reason and expiry, so every write of an id
   * drops its cached answer (`forget`, from gate-write.ts).
   */
  readonly #cacheIds = new Uint32Array(CACHE_SLOTS);
  readonly #cache: (GateMatch | undefined)[] = new Array(CACHE_SLOTS).fill(undefined);

  constructor(clock: Clock, resolve: Resolver = () => undefined) {
    this.#clock = clock;
    this.#resolve = resolve;
  }

  /** Drops the cached answer of decision `id` (its profile is about to change). */
  forget(id: number): void {
    const slot = id & (CACHE_SLOTS - 1);
    if (this.#cacheIds[slot] === id >>> 0) {
      this.#cacheIds[slot] = 0;
      this.#cache[slot] = undefined;
    }
  }

  setResolver(resolve: Resolver): void {
    this.#resolve = resolve;
  }

  get size(): number {
    return this.ip4.size + this.ip6.size + this.cidr4.size + this.cidr6.size + this.others.size;
  }

  lookup(facets: readonly Facet[]): GateMatch | undefined {
    let m = this.#lookup(facets);
    // Rare: an expired winner hid a decision on its key. Put that one in its place and answer again; a refreshed
    // key holds no expired entry any more, so this ends (bounded anyway: a request has a few facets).
    for (let n = 0; n < 8 && this.#staleKind !== M_NONE && this.#refresh(); n++) m = this.#lookup(facets);
    return m;
  }

  #lookup(facets: readonly Facet[]): GateMatch | undefined {
    this.#now = -1;
    this.#bestRank = 0;
    this.#bestKind = M_NONE;
    this.#staleKind = M_NONE;
    this.#top = this.profiles.topRank;
    for (let i = 0; i < facets.length && this.#bestRank < this.#top; i++) {
      const f = facets[i]!;
      if (f.charCodeAt(0) === 105 && f.charCodeAt(1) === 112 && f.charCodeAt(2) === 58) this.#lookupIp(f);
      else if (this.others.size !== 0) {
        const e = this.others.get(f);
        if (e !== undefined) this.#consider(e.id, e.prof, M_FACET, f, 0);
      }
    }
    return this.#bestKind === M_NONE ? undefined : this.#result();
  }

  #lookupIp(f: Facet): void {
    const a = this.#addr;
    const fam = parseIp(f, 3, f.length, a);
    if (fam === V4) {
      const ip = a[3]! | 0; // int32 from here on: no boxing (see U32Table)
      // One word of the /24 map (4 MiB, cached) says whether an exact address or a prefix may be there at all.
      const front = this.v4Front.words[ip >>> 12]!;
      const lane = (ip >>> 8) & 15;
      let s = -1;
      if (((front >>> (16 + lane)) & 1) !== 0 && this.ip4.mayHave(ip)) s = this.ip4.find(ip);
      if (s >= 0) this.#consider(this.ip4.idAt(s), this.ip4.profAt(s), M_FACET, f, 0);
      // An exact match of the top rank in use cannot be beaten by a prefix (equal rank: the exact one wins).
      if (this.#bestRank >= this.#top) return;
      if (((front >>> lane) & 1) === 0) return;
      const c4 = this.cidr4;
      if (c4.full.size !== 0) {
        s = c4.full.find(ip);
        if (s >= 0) this.#consider(c4.full.idAt(s), c4.full.profAt(s), M_CIDR4, f, 32);
      }
      const t = c4.table;
      let m = c4.lenMask16[ip >>> 16]!;
      while (m !== 0 && this.#bestRank < this.#top) {
        const b = 31 - Math.clz32(m);
        m ^= 1 << b;
        const bits = 16 + b;
        s = t.find((ip >>> (32 - bits)) | (1 << bits));
        if (s >= 0) this.#consider(t.idAt(s), t.profAt(s), M_CIDR4, f, bits);
      }
      m = c4.shortMask;
      const short = c4.short;
      while (m !== 0 && this.#bestRank < this.#top) {
        const bits = 31 - Math.clz32(m);
        m ^= 1 << bits;
        const k = bits === 0 ? 1 : (ip >>> (32 - bits)) | (1 << bits);
        const id = short.ids[k]!;
        if (id !== 0) this.#consider(id, short.profs[k]!, M_CIDR4, f, bits);
      }
    } else if (fam === V6) {
      const w0 = a[0]! | 0;
      const w1 = a[1]! | 0;
      const w2 = a[2]! | 0;
      const w3 = a[3]! | 0;
      let s = this.ip6.find(w0, w1, w2, w3, 128);
      if (s >= 0) this.#consider(this.ip6.idAt(s), this.ip6.profAt(s), M_FACET, f, 128);
      if (this.#bestRank >= this.#top) return;
      const c6 = this.cidr6;
      if (((c6.cover.words[w0 >>> 13]! >>> ((w0 >>> 8) & 31)) & 1) === 0) return;
      const t = c6.table;
      const lengths = c6.lengths;
      for (let i = 0; i < lengths.length && this.#bestRank < this.#top; i++) {
        const b = lengths[i]!;
        const m0 = w0 & wordMask(b);
        const m1 = w1 & wordMask(b - 32);
        const m2 = w2 & wordMask(b - 64);
        const m3 = w3 & wordMask(b - 96);
        s = t.find(m0, m1, m2, m3, b);
        if (s >= 0 && this.#consider(t.idAt(s), t.profAt(s), M_CIDR6, f, b)) {
          this.#bestW[0] = m0;
          this.#bestW[1] = m1;
          this.#bestW[2] = m2;
          this.#bestW[3] = m3;
        }
      }
    }
  }

  /** Takes this candidate if it outranks the best so far; callers visit more specific matches first. */
  #consider(id: number, prof: number, kind: number, f: string, bits: number): boolean {
    const rank = this.profiles.rank[prof]!;
    if (rank <= this.#bestRank) return false;
    const exp = this.profiles.expires[prof]!;
    if (exp !== 0) {
      if (this.#now < 0) this.#now = this.#clock.now();
      if (exp <= this.#now) {
        if (this.#shadowed.size !== 0) {
          this.#staleKind = kind;
          this.#staleId = id;
          this.#staleFacet = f;
          this.#staleBits = bits;
        }
        return false;
      }
    }
    this.#bestRank = rank;
    this.#bestId = id;
    this.#bestProf = prof;
    this.#bestKind = kind;
    this.#bestFacet = f;
    this.#bestBits = bits;
    if (kind === M_CIDR4) this.#bestW[3] = this.#addr[3]!;
    return true;
  }

  /**
   * The target of the expired entry this lookup met; if decisions are shadowed on it, the entry is removed and the
   * best active one read back from the store (gateRemove's refill). True when the tables changed.
   */
  #refresh(): boolean {
    const kind = this.#staleKind;
    this.#staleKind = M_NONE;
    const f = this.#staleFacet;
    const colon = f.indexOf(':');
    // A prefix match is named by the client's address and the prefix length (parseTarget clears the host bits).
    const parsed =
      kind === M_FACET
        ? parseTarget(f.slice(0, colon) as Target['kind'], f.slice(colon + 1))
        : parseTarget('cidr', `${f.slice(colon + 1)}/${this.#staleBits}`);
    if (!parsed.ok || !this.#shadowed.has(`${parsed.target.kind}:${parsed.target.value}`)) return false;
    gateRemove(this, parsed.target, this.#staleId);
    return true;
  }

  #result(): GateMatch {
    const slot = this.#bestId & (CACHE_SLOTS - 1);
    if (this.#cacheIds[slot] === this.#bestId) return this.#cache[slot]!;
    const m = this.#build();
    this.#cacheIds[slot] = this.#bestId;
    this.#cache[slot] = m;
    return m;
  }

  #build(): GateMatch {
    const p = this.#bestProf;
    let matched: string = this.#bestFacet;
    if (this.#bestKind === M_CIDR4) {
      const b = this.#bestBits;
      const prefix = b === 0 ? 0 : (this.#bestW[3]! & ((0xffffffff << (32 - b)) >>> 0)) >>> 0;
      matched = `cidr:${formatV4(prefix)}/${b}`;
    } else if (this.#bestKind === M_CIDR6) matched = `cidr:${formatV6(this.#bestW)}/${this.#bestBits}`;
    const exp = this.profiles.expires[p]!;
    const base = {
      decisionId: formatId(this.#bestId),
      action: this.profiles.action(p),
      reason: this.profiles.reason[p]!,
      matched,
    };
    return exp === 0 ? base : { ...base, expiresAt: exp };
  }

  // ---- maintenance (off the hot path): see gate-write.ts for put/remove/sweep over these tables.
  get shadowed(): Map<string, number> {
    return this.#shadowed;
  }

  get resolver(): Resolver {
    return this.#resolve;
  }
}
