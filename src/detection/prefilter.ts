/**
 * One pass over a value finds every rule literal it holds (Aho–Corasick, 1975): the rules' required literals
 * (`literals.ts`) and their hand-written `gate` entries, ASCII case folded. Each literal carries a key; `scan`
 * sets the key's bit, and a rule's regex runs only when the bits it needs are set. Replaces one `includes` per
 * gate entry and one regex attempt per rule on values that hold none of their literals.
 *
 * The automaton is a full DFA over ASCII: `delta[state * 128 + char]` is the next state, with failure links
 * already folded in, so the scan is one table load per character. Upper-case columns repeat the lower-case ones
 * (case folding costs nothing); any non-ASCII character resets to the root, since no literal holds one.
 *
 *   literals "sh", "bash", "select"        out[state] = keys of every literal ending here
 *   root ─b─► b ─a─► ba ─s─► bas ─h─► bash {bash, sh}   (out of "bash" includes "sh" through its failure link)
 *        ─s─► s ─h─► sh {sh}
 *             s ─e─► se ─l─► … select {select}
 */
export class LiteralScan {
  readonly #delta: Uint16Array | Uint32Array;
  /** Keys of state s are out[outStart[s] .. outStart[s + 1]). */
  readonly #outStart: Uint32Array;
  readonly #out: Uint32Array;
  /** Bit-set words per scan: keys / 32, rounded up. */
  readonly words: number;

  constructor(entries: readonly { readonly literal: string; readonly key: number }[], keyCount: number) {
    this.words = Math.max(1, Math.ceil(keyCount / 32));
    const goto: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    for (const { literal, key } of entries) {
      let s = 0;
      for (let i = 0; i < literal.length; i++) {
        const c = fold(literal.charCodeAt(i));
        if (c >= 128) throw new Error(`literal ${JSON.stringify(literal)} is not ASCII`);
        let t = goto[s]!.get(c);
        if (t === undefined) {
          t = goto.length;
          goto.push(new Map());
          own.push([]);
          goto[s]!.set(c, t);
        }
        s = t;
      }
      if (!own[s]!.includes(key)) own[s]!.push(key);
    }
    const n = goto.length;
    const delta = n < 65_536 ? new Uint16Array(n * 128) : new Uint32Array(n * 128);
    const fail = new Uint32Array(n);
    const outs: number[][] = own.map((o) => [...o]);
    // Breadth-first, so a state's failure target is complete before the state itself.
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const t = goto[0]!.get(c);
      if (t !== undefined) {
        delta[c] = t;
        queue.push(t);
      }
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      for (const k of outs[fail[s]!]!) if (!outs[s]!.includes(k)) outs[s]!.push(k);
      for (let c = 0; c < 128; c++) {
        const t = goto[s]!.get(c);
        if (t === undefined) delta[s * 128 + c] = delta[fail[s]! * 128 + c]!;
        else {
          fail[t] = delta[fail[s]! * 128 + c]!;
          delta[s * 128 + c] = t;
          queue.push(t);
        }
      }
    }
    for (let s = 0; s < n; s++) for (let c = 65; c <= 90; c++) delta[s * 128 + c] = delta[s * 128 + c + 32]!;
    this.#outStart = new Uint32Array(n + 1);
    let total = 0;
    for (let s = 0; s < n; s++) {
      this.#outStart[s] = total;
      total += outs[s]!.length;
    }
    this.#outStart[n] = total;
    this.#out = new Uint32Array(total);
    for (let s = 0, j = 0; s < n; s++) for (const k of outs[s]!) this.#out[j++] = k;
    this.#delta = delta;
  }

  /** ORs into `bits` the key of every literal found in `text`. */
  scan(text: string, bits: Uint32Array): void {
    const delta = this.#delta;
    const start = this.#outStart;
    const out = this.#out;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      s = c < 128 ? delta[(s << 7) | c]! : c === 0x130 || c === 0x212a ? delta[(s << 7) | LOWERS_TO[c]!]! : 0;
      const b = start[s + 1]!;
      for (let j = start[s]!; j < b; j++) {
        const k = out[j]!;
        bits[k >>> 5] = bits[k >>> 5]! | (1 << (k & 31));
      }
    }
  }
}

/**
 * The two non-ASCII characters whose `toLowerCase()` holds an ASCII letter (İ → i̇, Kelvin sign → k): gates were
 * matched against `toLowerCase()` text, so they count as those letters here too.
 */
const LOWERS_TO: Record<number, number> = { 0x130: 105, 0x212a: 107 };

const fold = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

export const hasKey = (bits: Uint32Array, key: number): boolean => (bits[key >>> 5]! & (1 << (key & 31))) !== 0;
