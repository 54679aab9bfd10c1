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
 */
const PAGE_BITS = 10;
const PAGE_IDS = 1 << PAGE_BITS;

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
    if (this.#live[p] === 0) {
      this.#uniform[p] = prof;
      if (this.#pages[p] !== undefined) this.#pages[p] = undefined;
    } else if (u >= 0) {
      if (u !== prof) {
        // Every live id of the page had `u`: an array filled with it stays right for them.
        const arr = new Uint32Array(PAGE_IDS).fill(u);
        arr[id & (PAGE_IDS - 1)] = prof;
        this.#pages[p] = arr;
        this.#uniform[p] = -1;
      }
    } else this.#pages[p]![id & (PAGE_IDS - 1)] = prof;
    this.#live[p] = this.#live[p]! + 1;
  }

  /** Forgets live id `id`. */
  delete(id: number): void {
    const p = id >>> PAGE_BITS;
    const left = this.#live[p]! - 1;
    this.#live[p] = left;
    if (left === 0) {
      this.#uniform[p] = 0;
      if (this.#pages[p] !== undefined) this.#pages[p] = undefined;
    }
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
