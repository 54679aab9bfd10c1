/**
 * Decision id → profile index for the entries of one table, paged by id so that a bulk import costs nothing per
 * entry.
 *
 *   page = id >>> 10 (1 024 ids)
 *   uniform [  7 |  7 | -1 |  0 | ... ]   ≥ 1: every live id of the page has this profile; 0: none live;
 *   pages   [  – |  – | ▼  |  – | ... ]   -1: the page's profiles are in its own Uint32Array(1 024)
 *                        [ 7 7 7 912 913 7 … ]
 *
 * Why: a U32Table slot held key, id and profile (12 bytes). Ids are handed out in order and an import gives each
 * (kind, profile) group one run of consecutive ids (sqlite-store.ts insertDecisionsBulk), so the profile is nearly
 * always the same for a whole page of ids. Keeping it here instead of in the slot makes a slot 8 bytes: 64 MiB less
 * for 10 M addresses in 2^24 slots. A lookup that hits reads one small, cached directory word; only pages whose live
 * ids have two or more profiles (manual and detector decisions, each with its own expiry) hold an array, at 4 bytes
 * an id — at worst 4 KiB for a page with two live ids, given back when the page empties.
 *
 * A re-import keeps its targets' ids and points them at the new import's profile (sqlite-store.ts), so a page
 * that was uniform passes through a mixed state, old profile → new, one id at a time. The array's tail counts
 * the live ids of up to two profiles (A, B); when one of them covers every live id the page is uniform again
 * and the array goes. The counts never exceed the true number (a profile is counted from the moment it takes a
 * free counter, and a count stops at 0), so a page only collapses when it is truly uniform.
 *
 *   array  [ profile of id 0 … profile of id 1023 | A | count A | B | count B ]
 */
const PAGE_BITS = 10;
const PAGE_IDS = 1 << PAGE_BITS;
const A = PAGE_IDS;
const NA = PAGE_IDS + 1;
const B = PAGE_IDS + 2;
const NB = PAGE_IDS + 3;

export class IdProfiles {
  #uniform = new Int32Array(16);
  #live = new Uint16Array(16);
  #pages: (Uint32Array | undefined)[] = new Array(16).fill(undefined);

  /** Profile of live id `id`. */
  get(id: number): number {
    const p = id >>> PAGE_BITS;
    const u = this.#uniform[p]!;
    return u >= 0 ? u : this.#pages[p]![id & (PAGE_IDS - 1)]!;
  }

  /** Records a new live id (not already held) with profile `prof` (≥ 1). */
  add(id: number, prof: number): void {
    const p = id >>> PAGE_BITS;
    if (p >= this.#uniform.length) this.#grow(p);
    const u = this.#uniform[p]!;
    const live = this.#live[p]! + 1;
    this.#live[p] = live;
    if (live === 1) {
      this.#uniform[p] = prof;
      if (this.#pages[p] !== undefined) this.#pages[p] = undefined;
    } else if (u >= 0) {
      if (u !== prof) {
        // Every other live id of the page had `u`: an array filled with it stays right for them.
        const arr = new Uint32Array(PAGE_IDS + 4).fill(u, 0, PAGE_IDS);
        arr[id & (PAGE_IDS - 1)] = prof;
        arr[A] = u;
        arr[NA] = live - 1;
        arr[B] = prof;
        arr[NB] = 1;
        this.#pages[p] = arr;
        this.#uniform[p] = -1;
      }
    } else {
      const arr = this.#pages[p]!;
      arr[id & (PAGE_IDS - 1)] = prof;
      // A and B never name the same profile: a free counter is taken only by a profile neither names.
      if (arr[A] === prof) arr[NA] = arr[NA]! + 1;
      else if (arr[B] === prof) arr[NB] = arr[NB]! + 1;
      else if (arr[NA] === 0) {
        arr[A] = prof;
        arr[NA] = 1;
      } else if (arr[NB] === 0) {
        arr[B] = prof;
        arr[NB] = 1;
      }
      this.#collapse(p, arr, live);
    }
  }

  /** Forgets live id `id`. */
  delete(id: number): void {
    const p = id >>> PAGE_BITS;
    const left = this.#live[p]! - 1;
    this.#live[p] = left;
    if (left === 0) {
      this.#uniform[p] = 0;
      if (this.#pages[p] !== undefined) this.#pages[p] = undefined;
      return;
    }
    const arr = this.#pages[p];
    if (arr === undefined) return;
    const prof = arr[id & (PAGE_IDS - 1)]!;
    if (arr[A] === prof && arr[NA]! > 0) arr[NA] = arr[NA]! - 1;
    else if (arr[B] === prof && arr[NB]! > 0) arr[NB] = arr[NB]! - 1;
    this.#collapse(p, arr, left);
  }

  /** True while page `page` keeps a per-id array (for tests and memory accounting). */
  isMixed(page: number): boolean {
    return this.#pages[page] !== undefined;
  }

  #collapse(p: number, arr: Uint32Array, live: number): void {
    const u = arr[NA] === live ? arr[A]! : arr[NB] === live ? arr[B]! : 0;
    if (u === 0) return;
    this.#uniform[p] = u;
    this.#pages[p] = undefined;
  }

  #grow(page: number): void {
    let n = this.#uniform.length;
    while (n <= page) n *= 2;
    const u = new Int32Array(n);
    u.set(this.#uniform);
    this.#uniform = u;
    const l = new Uint16Array(n);
    l.set(this.#live);
    this.#live = l;
    // Filled, not written at a distant index: an array with holes can fall back to slow dictionary elements.
    while (this.#pages.length < n) this.#pages.push(undefined);
  }
}
