import { endianness } from 'node:os';
import { formatV4 } from './addr.ts';
import type { Target } from './target.ts';

/**
 * An import's accepted IPv4 addresses and v4 prefixes, held packed until the whole upload (or a segment of it)
 * has been read, then handed out in address order.
 *
 * Why: the store's `UNIQUE(value, kind, action)` index is a B-tree over every decision. Writing an import in the
 * order of its lines — random addresses — in 200 000-row transactions touched nearly every leaf page of that index
 * in every transaction, so each commit rewrote most of the index (WAL, then checkpoint): 137 s for 10 M lines,
 * growing faster than the line count (docs/benchmarks.md). Written in address order, consecutive transactions fill
 * neighbouring pages and the index is written about once.
 *
 * One row costs 12 bytes: an 8-byte sort key and a 4-byte profile index, in chunks of 2^20 rows.
 *
 *   key (uint64):  | v4 address (32) | code (6) | seq (26) |     code: 0 = exact address, 1 + prefix length = CIDR
 *   prof[seq]:     index into the importer's profile list (action, ttl, reason)
 *
 * Sorting the keys natively (a BigUint64Array sort, ≈ 1–2 s for 10 M) orders rows by address, then kind and
 * length, then line: when one import lists a target twice its lines are adjacent, so the store keeps them as one
 * row under one id (sqlite-store.ts insertDecisionsBulk). Address order is not the index's text order ('10.x' sorts
 * before '9.x'), but every text prefix like '203.0.' is one contiguous run in both, which is the locality the
 * B-tree needs.
 */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
/** 26 bits of line sequence in the key; a segment is written out before it would overflow. */
export const STAGE_MAX_ROWS = 1 << 24;

if (endianness() !== 'LE') throw new Error('import-stage.ts reads uint64 keys as two uint32 words, low word first');

export class V4Stage {
  #keys: Uint32Array[] = [];
  #profs: Uint32Array[] = [];
  #n = 0;

  get size(): number {
    return this.#n;
  }

  /** Stages an exact address (bits undefined) or a prefix, with its profile index. */
  push(v4: number, bits: number | undefined, prof: number): void {
    const seq = this.#n++;
    const c = seq >>> CHUNK_BITS;
    if (c === this.#keys.length) {
      this.#keys.push(new Uint32Array(CHUNK * 2));
      this.#profs.push(new Uint32Array(CHUNK));
    }
    const o = seq & (CHUNK - 1);
    const keys = this.#keys[c]!;
    keys[o * 2] = (((bits === undefined ? 0 : bits + 1) << 26) | seq) >>> 0;
    keys[o * 2 + 1] = v4;
    this.#profs[c]![o] = prof;
  }

  /**
   * Takes the staged rows in order, `size` at a time, as targets with their profile index, and empties the stage.
   * Each key chunk is let go as soon as it is copied into the array being sorted, so the peak is about one copy.
   */
  *drain(size: number): Generator<{ t: Target; prof: number }[]> {
    const n = this.#n;
    const all = new BigUint64Array(n);
    const words = new Uint32Array(all.buffer);
    for (let c = 0; this.#keys.length > 0; c++) {
      const rows = Math.min(CHUNK, n - c * CHUNK);
      words.set(this.#keys.shift()!.subarray(0, rows * 2), c * CHUNK * 2);
    }
    all.sort();
    const profs = this.#profs;
    this.#profs = [];
    this.#n = 0;
    for (let start = 0; start < n; start += size) {
      const end = Math.min(n, start + size);
      const out: { t: Target; prof: number }[] = new Array(end - start);
      for (let i = start; i < end; i++) {
        const lo = words[i * 2]!;
        const v4 = words[i * 2 + 1]!;
        const seq = lo & 0x3ff_ffff;
        const code = lo >>> 26;
        const prof = profs[seq >>> CHUNK_BITS]![seq & (CHUNK - 1)]!;
        const text = formatV4(v4);
        out[i - start] = {
          t:
            code === 0
              ? { kind: 'ip', family: 4, v4, value: text }
              : { kind: 'cidr', family: 4, v4, bits: code - 1, value: `${text}/${code - 1}` },
          prof,
        };
      }
      yield out;
    }
  }
}
