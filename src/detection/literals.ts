/**
 * Required literals of a regex: a set of ASCII strings such that every text the regex matches in contains at
 * least one of them (ASCII case folded). The literal pre-filter (`prefilter.ts`) looks for all of them in one
 * pass and runs a rule's regex only on values holding one — the idea of RE2's and Hyperscan's prefilters
 * (Cox, "Regular Expression Matching with a Trigram Index", 2012), cut down to the syntax our rules use.
 *
 * Sound by construction, never clever: anything this parser does not fully understand (a class too wide, a
 * non-ASCII character, a back-reference, an optional part) contributes "no constraint", so the worst a gap can
 * do is let a rule run when it need not. `undefined` means the regex has no usable literal: the rule always runs.
 *
 * Per node, `exact` is the complete set of strings it can match (while that set stays small) and `need` a set of
 * which every match contains one. A sequence multiplies exact sets until one is unknown or too large, and keeps
 * the best set seen; an alternation needs every branch constrained.
 */

/** Larger exact sets stop multiplying: the cross product of a few small classes grows fast. */
const EXACT_MAX = 64;
/** Widest class kept as a set of characters (after case folding): `[sS]`, `[._-]`; `[a-z]` is "any". */
const CLASS_MAX = 6;

type Node =
  | { t: 'char'; set: string[] | undefined } // undefined: too wide or unknown
  | { t: 'empty' } // assertions, lookarounds, empty group
  | { t: 'any' } // back-reference: unknown text, possibly empty
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; branches: Node[] }
  | { t: 'rep'; node: Node; min: number };

const fold = (c: string): string => (c >= 'A' && c <= 'Z' ? c.toLowerCase() : c);

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  alt(): Node {
    const branches = [this.seq()];
    while (this.s[this.i] === '|') {
      this.i++;
      branches.push(this.seq());
    }
    return branches.length === 1 ? branches[0]! : { t: 'alt', branches };
  }

  seq(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      let atom = this.atom();
      for (;;) {
        const min = this.quantifier();
        if (min === undefined) break;
        atom = { t: 'rep', node: atom, min };
      }
      items.push(atom);
    }
    return { t: 'seq', items };
  }

  /** Minimum count of a quantifier at the cursor (consumed with its lazy `?`), or undefined if none. */
  quantifier(): number | undefined {
    const c = this.s[this.i];
    let min: number;
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.s.slice(this.i));
      if (!m) return undefined; // a literal `{` (non-unicode regexes allow it)
      this.i += m[0].length - 1;
      min = Number(m[1]);
    } else return undefined;
    this.i++;
    if (this.s[this.i] === '?') this.i++;
    return min;
  }

  atom(): Node {
    const c = this.s[this.i++]!;
    if (c === '^' || c === '$') return { t: 'empty' };
    if (c === '.') return { t: 'char', set: undefined };
    if (c === '[') return this.klass();
    if (c === '(') {
      let look = false;
      if (this.s[this.i] === '?') {
        const m = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(this.s.slice(this.i));
        if (!m) throw new Error(`unsupported group at ${this.i}`);
        look = m[0] === '?=' || m[0] === '?!' || m[0] === '?<=' || m[0] === '?<!';
        this.i += m[0].length;
      }
      const inner = this.alt();
      if (this.s[this.i++] !== ')') throw new Error('unbalanced parenthesis');
      // Lookarounds match no text of their own.
      return look ? { t: 'empty' } : inner;
    }
    if (c === '\\') {
      const e = this.escape(false);
      return e.t === 'char' && e.set !== undefined ? { t: 'char', set: e.set.map(fold) } : e;
    }
    return { t: 'char', set: c.charCodeAt(0) < 128 ? [fold(c)] : undefined };
  }

  /**
   * After a backslash; a `char` result is the character itself, not yet case folded (a class range needs the
   * real code points). The regex is not in unicode mode (`requiredLiterals` checks), so Annex B applies: in a
   * class `\b` is a backspace and `\B` a plain `B`, `\0` before an octal digit is an octal escape, `\c` before a
   * non-letter is a backslash, `\k` without named groups is `k`. Anything unsure is an unknown character.
   */
  escape(inClass: boolean): Node {
    const c = this.s[this.i++]!;
    if (/[dDwWsS]/.test(c)) return { t: 'char', set: undefined };
    if (c === 'b' || c === 'B') {
      if (!inClass) return { t: 'empty' };
      return { t: 'char', set: [c === 'b' ? '\b' : 'B'] };
    }
    if (/[1-9]/.test(c) || c === 'k') {
      // A back-reference, or (Annex B, no such group) an octal escape or an identity escape: unknown either way.
      if (inClass) return { t: 'char', set: undefined };
      if (c === 'k') {
        const m = /^<[^>]*>/.exec(this.s.slice(this.i));
        if (m) this.i += m[0].length;
      } else while (/\d/.test(this.s[this.i] ?? '')) this.i++;
      return { t: 'any' };
    }
    if (c === '0' && /[0-7]/.test(this.s[this.i] ?? '')) {
      // Legacy octal (`\012` is a line feed): one character, whatever its value.
      for (let k = 0; k < 2 && /[0-7]/.test(this.s[this.i] ?? ''); k++) this.i++;
      return { t: 'char', set: undefined };
    }
    let code: number;
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };
    if (c in simple) code = simple[c]!;
    else if (c === 'x' || c === 'u') {
      const m = (c === 'x' ? /^[0-9a-fA-F]{2}/ : /^[0-9a-fA-F]{4}/).exec(this.s.slice(this.i));
      if (!m) return { t: 'char', set: undefined };
      this.i += m[0].length;
      code = Number.parseInt(m[0], 16);
    } else if (c === 'c') {
      const l = this.s[this.i] ?? '';
      if (!(/[A-Za-z]/.test(l) || (inClass && /[\d_]/.test(l)))) {
        // Not a control escape: the backslash stands for itself and `c` is read again as a pattern character.
        this.i--;
        return { t: 'char', set: inClass ? undefined : ['\\'] };
      }
      this.i++;
      code = l.charCodeAt(0) % 32;
    } else code = c.charCodeAt(0);
    return { t: 'char', set: code < 128 ? [String.fromCharCode(code)] : undefined };
  }

  klass(): Node {
    let negated = false;
    if (this.s[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const chars = new Set<string>();
    let wide = negated;
    while (this.i < this.s.length && this.s[this.i] !== ']') {
      const lo = this.classAtom();
      if (this.s[this.i] === '-' && this.s[this.i + 1] !== ']' && this.i + 1 < this.s.length) {
        this.i++;
        const hi = this.classAtom();
        if (lo === undefined || hi === undefined) {
          wide = true;
          continue;
        }
        // The range is over the characters as written (`[A-_]` is A..Z, [, \\, ], ^, _), folded afterwards.
        const a = lo.charCodeAt(0);
        const b = hi.charCodeAt(0);
        if (b < a || b - a > CLASS_MAX * 2 || b >= 128) wide = true;
        else for (let k = a; k <= b; k++) chars.add(fold(String.fromCharCode(k)));
      } else if (lo === undefined) wide = true;
      else chars.add(fold(lo));
    }
    if (this.s[this.i++] !== ']') throw new Error('unterminated class');
    // A case-insensitive `[a-c]` also matches `A`-`C`: folding the members keeps one entry per letter.
    return { t: 'char', set: wide || chars.size > CLASS_MAX ? undefined : [...chars] };
  }

  /** One class member as an ASCII character as written (not folded); undefined when it stands for many or is not ASCII. */
  classAtom(): string | undefined {
    const c = this.s[this.i++]!;
    if (c !== '\\') return c.charCodeAt(0) < 128 ? c : undefined;
    const e = this.escape(true);
    return e.t === 'char' && e.set?.length === 1 ? e.set[0] : undefined;
  }
}

interface Info {
  /** Every string the node can match, when small and known. */
  exact: Set<string> | undefined;
  /** Every match contains one of these (no entry empty), or undefined when nothing is required. */
  need: Set<string> | undefined;
}

/** Higher is better: a set whose shortest entry is longer is rarer in text; fewer entries break ties. */
function score(set: Set<string> | undefined): number {
  if (set === undefined || set.size === 0) return -1;
  let min = Number.POSITIVE_INFINITY;
  for (const s of set) min = Math.min(min, s.length);
  return min === 0 ? -1 : min * 1000 - set.size;
}

const better = (a: Set<string> | undefined, b: Set<string> | undefined): Set<string> | undefined =>
  score(b) > score(a) ? b : a;

function constraint(info: Info): Set<string> | undefined {
  const e = score(info.exact) >= 0 ? info.exact : undefined;
  const best = better(e, info.need);
  return score(best) >= 0 ? best : undefined;
}

function analyse(n: Node): Info {
  switch (n.t) {
    case 'empty':
      return { exact: new Set(['']), need: undefined };
    case 'any':
      return { exact: undefined, need: undefined };
    case 'char':
      return { exact: n.set === undefined ? undefined : new Set(n.set), need: undefined };
    case 'rep': {
      const inner = analyse(n.node);
      // An optional part requires nothing; a required one requires what its body requires.
      return n.min === 0 ? { exact: undefined, need: undefined } : { exact: undefined, need: constraint(inner) };
    }
    case 'alt': {
      const infos = n.branches.map(analyse);
      let exact: Set<string> | undefined = new Set();
      for (const f of infos) {
        if (f.exact === undefined || exact === undefined || exact.size + f.exact.size > EXACT_MAX) exact = undefined;
        else for (const s of f.exact) exact.add(s);
      }
      let need: Set<string> | undefined = new Set();
      for (const f of infos) {
        const c = constraint(f);
        if (c === undefined) {
          need = undefined;
          break;
        }
        for (const s of c) need.add(s);
      }
      return { exact, need };
    }
    case 'seq': {
      let cur: Set<string> | undefined = new Set(['']);
      let best: Set<string> | undefined;
      let whole = true; // cur still spans the whole sequence so far
      for (const item of n.items) {
        const f = analyse(item);
        best = better(best, f.need);
        if (cur !== undefined && f.exact !== undefined && cur.size * f.exact.size <= EXACT_MAX) {
          const next = new Set<string>();
          for (const a of cur) for (const b of f.exact) next.add(a + b);
          cur = next;
          continue;
        }
        // A run of known text ends here: it is required, and the next run starts after this item.
        best = better(best, cur);
        whole = false;
        cur = f.exact === undefined || f.exact.size > EXACT_MAX ? undefined : new Set(f.exact);
        if (cur === undefined) cur = new Set(['']);
      }
      best = better(best, cur);
      return { exact: whole ? cur : undefined, need: best };
    }
  }
}

/**
 * The required literals of `source` (lower-case ASCII), or undefined when it has none worth checking. Throws on
 * syntax this parser does not know, so a new construct in a rule is noticed at load, not silently skipped.
 */
export function requiredLiterals(source: string, flags = ''): string[] | undefined {
  // Unicode and unicode-sets mode change escapes, classes and case folding (`ſ` matches `s` under `iu`): not
  // modelled here, so such a regex has no required literal and always runs.
  if (/[uv]/.test(flags)) return undefined;
  const p = new Parser(source);
  const root = p.alt();
  if (p.i !== source.length) throw new Error(`unexpected ${JSON.stringify(source[p.i])} at ${p.i}`);
  const c = constraint(analyse(root));
  if (c === undefined) return undefined;
  // A literal holding another is redundant: a text with it holds the shorter one too.
  const all = [...c];
  return all.filter((l) => !all.some((o) => o !== l && l.includes(o))).sort();
}
