/**
 * A regex with a `^` branch beside others (`^\s*cat\s+/|[;|&]\s*cat\s+/`, or the shorter `(?:^|[;|&])\s*cat`) is
 * tried by V8's irregexp at every position of the text with every branch: the `^` branch keeps it from skipping
 * ahead to the characters a match can start with. Measured on the benign generator's values that reach
 * `cmdi.separator-builtin` (90 characters on average): 517 ns a text as written, 148 ns as two regexes, one
 * anchored at the start and one without the `^` branch.
 *
 *   (?:^|[;|&]\s*)cat\b|bin/cat\b   ──►   atStart:   ^(?:cat\b)
 *                                          elsewhere: (?:[;|&]\s*)cat\b|bin/cat\b
 *
 * The two match exactly the texts the original matches: a match at position 0 through a `^` branch is found by
 * `atStart`, any other by `elsewhere`. Only the reported fragment can differ, when both could match at position
 * 0. Only plain shapes are split: a top-level `^` branch, or a top-level branch starting with a non-capturing
 * group some of whose own branches start with `^`. Anything else (capturing groups, which would renumber, the `m` or
 * `y` flag, which change what `^` means) is left as it is.
 */
export interface AnchorSplit {
  readonly atStart: RegExp;
  readonly elsewhere: RegExp;
}

/**
 * Positions of the characters of `source` that are syntax: not escaped, not inside a character class. The three
 * scans below (top-level `|`, a group's end, capturing groups) only ever look at those.
 */
function* syntax(source: string, from = 0): Generator<number> {
  let inClass = false;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else yield i;
  }
}

/** Splits `source` at `|` outside groups and character classes. */
function branches(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (const i of syntax(source)) {
    const c = source[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

/** Index just past the `)` closing the group opened at `open`, or -1. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  for (const i of syntax(source, open)) {
    if (source[i] === '(') depth++;
    else if (source[i] === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/** The branch as [anchored remainder | undefined, unanchored form | undefined]. */
function splitBranch(branch: string): [string | undefined, string | undefined] {
  if (branch.startsWith('^')) return [branch.slice(1), undefined];
  if (!branch.startsWith('(?:')) return [undefined, branch];
  const end = groupEnd(branch, 0);
  if (end < 0) return [undefined, branch];
  const inner = branches(branch.slice(3, end - 1));
  const rest = branch.slice(end);
  // `(?:^|A|B)` followed by a quantifier is not a prefix to distribute.
  if (!inner.some((b) => b.startsWith('^')) || /^[?*+{]/.test(rest)) return [undefined, branch];
  const anchored = inner.filter((b) => b.startsWith('^')).map((b) => b.slice(1));
  const others = inner.filter((b) => !b.startsWith('^'));
  return [
    anchored.length === 1 && anchored[0] === '' ? rest : `(?:${anchored.join('|')})${rest}`,
    others.length === 0 ? undefined : `(?:${others.join('|')})${rest}`,
  ];
}

/** Whether `source` has a capturing group (splitting would renumber its captures). */
function hasCapture(source: string): boolean {
  for (const i of syntax(source)) {
    if (source[i] !== '(') continue;
    // `(x)` and `(?<name>x)` capture; `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!` do not.
    if (source[i + 1] !== '?' || (source[i + 2] === '<' && !'=!'.includes(source[i + 3] ?? ''))) return true;
  }
  return false;
}

export function splitAtStart(re: RegExp): AnchorSplit | undefined {
  if (re.flags.includes('m') || re.flags.includes('y') || hasCapture(re.source)) return undefined;
  const atStart: string[] = [];
  const elsewhere: string[] = [];
  for (const b of branches(re.source)) {
    const [anchored, free] = splitBranch(b);
    if (anchored !== undefined) atStart.push(anchored);
    if (free !== undefined) elsewhere.push(free);
  }
  if (atStart.length === 0 || elsewhere.length === 0) return undefined;
  const flags = re.flags.replace('g', '');
  return {
    atStart: new RegExp(`^(?:${atStart.join('|')})`, flags),
    elsewhere: new RegExp(elsewhere.join('|'), flags),
  };
}
