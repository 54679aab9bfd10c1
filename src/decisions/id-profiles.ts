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
 * that was uniform passes through a mixed state, old profile → new, one id at a time. A mixed page counts its
 * live ids per profile (exact: a live id's profile is in the array, so a delete knows which count to lower);
 * when one profile is left the page is uniform again and the array goes, however many profiles it passed
 * through. The counts are a small map (two entries while a re-import passes; one per manual decision at most).
 */
const PAGE_BITS = 10;
const PAGE_IDS = 1 << PAGE_BITS;

export class IdProfiles {
  #uniform = new Int32Array(16);
  #live = new Uint16Array(16);
  #pages: (Uint32Array | undefined)[] = new Array(16).fill(undefined);
  /** Live ids per profile of each mixed page (undefined where the page is uniform or empty). */
  #counts: (Map<number, number> | undefined)[] = new Array(16).fill(undefined);

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
      this.#pages[p] = undefined;
      this.#counts[p] = undefined;
    } else if (u >= 0) {
      if (u !== prof) {
        // Every other live id of the page had `u`: an array filled with it stays right for them.
        const arr = new Uint32Array(PAGE_IDS).fill(u);
        arr[id & (PAGE_IDS - 1)] = prof;
        this.#pages[p] = arr;
        this.#counts[p] = new Map([
          [u, live - 1],
          [prof, 1],
        ]);
        this.#uniform[p] = -1;
      }
    } else {
      this.#pages[p]![id & (PAGE_IDS - 1)] = prof;
      const counts = this.#counts[p]!;
      counts.set(prof, (counts.get(prof) ?? 0) + 1);
    }
  }

  /** Forgets live id `id`. */
  delete(id: number): void {
    const p = id >>> PAGE_BITS;
    const left = this.#live[p]! - 1;
    this.#live[p] = left;
    if (left === 0) {
      this.#uniform[p] = 0;
      this.#pages[p] = undefined;
      this.#counts[p] = undefined;
      return;
    }
    const arr = this.#pages[p];
    if (arr === undefined) return;
    const counts = this.#counts[p]!;
    const prof = arr[id & (PAGE_IDS - 1)]!;
    const n = counts.get(prof)! - 1;
    if (n > 0) {
      counts.set(prof, n);
      return;
    }
    counts.delete(prof);
    if (counts.size === 1) {
      this.#uniform[p] = counts.keys().next().value!;
      this.#pages[p] = undefined;
      this.#counts[p] = undefined;
    }
  }

  /** True while page `page` keeps a per-id array (for tests and memory accounting). */
  isMixed(page: number): boolean {
    return this.#pages[page] !== undefined;
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
    while (this.#counts.length < n) this.#counts.push(undefined);
  }
}
