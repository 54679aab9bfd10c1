/**
 * Code quoted the Markdown way: a closed fenced block, or an inline code span with prose beside it. That is how
 * developers write about commands, queries and snippets in tickets, issues and posts. Rules opt in with
 * `confirm.notInMarkdownCode`: their finding is lowered only when the rule no longer matches once every such
 * region is blanked out (`maskMarkdownCode`), so a payload outside the code keeps its severity.
 *
 * Why the match must lie inside the code, not merely beside some: with "any fence in the value" an attacker
 * appends `` #``` `` to a shell payload (a comment to the shell) and gets the lower severity.
 *
 * The quoting does not stop code from running everywhere: a shell runs what stands between backticks, a
 * JavaScript template literal runs its `${…}`, and SQL reads a fence inside a string literal as text. So only
 * backtick fences count (`~~~` is an operator in JavaScript and PHP, a command name to a shell), a region holding
 * `${` is never code, and rules whose payload runs inside such quoting (Node and PHP code execution, SQL time
 * delays) do not opt in.
 *
 * A value that is nothing but a span (`` `id` ``) is not prose: it is the command-substitution payload itself,
 * and is not masked. Linear in the length of the text.
 */

/** An opening or closing fence line: up to three spaces, then three or more backticks. */
const FENCE = /^ {0,3}(`{3,})([^\n]*)$/;
/** Prose just before a span: a word, optional punctuation (not a shell separator), a little whitespace. */
const PROSE_BEFORE = /\w[,:.!?]?\s{1,8}$/;
/** Prose just after a span: punctuation, then whitespace and a word. */
const PROSE_AFTER = /^[.,;:!?)]{0,2}\s{1,8}\w/;
/** What may stand right before a span that prose follows: the start, whitespace or an opening parenthesis. */
const SPAN_START_AFTER_PROSE = /^[\s(]?$/;
/** Longest inline span counted; longer backtick runs are rarely prose. */
const SPAN_MAX = 256;

/**
 * `text` with every Markdown code region (delimiters included) replaced by spaces, line breaks kept; `undefined`
 * when the text holds none, so callers skip a second match.
 */
export function maskMarkdownCode(text: string): string | undefined {
  if (!text.includes('`')) return undefined;
  const code: [start: number, end: number][] = [];
  let open: { start: number; length: number } | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const fence = line.includes('```') ? FENCE.exec(line) : null;
    if (open !== undefined) {
      if (fence !== null && fence[1]!.length >= open.length && fence[2]!.trim() === '') {
        pushCode(text, open.start, lineEnd, code);
        open = undefined;
      }
    } else if (fence !== null && !fence[2]!.includes('`')) {
      open = { start: lineStart, length: fence[1]!.length };
    } else if (line.includes('`')) {
      spans(text, lineStart, line, code);
    }
    lineStart = lineEnd + 1;
  }
  // An unclosed fence quotes nothing: a lone ``` line is no evidence of a code block.
  if (code.length === 0) return undefined;
  let out = '';
  let at = 0;
  for (const [start, end] of code) {
    out += text.slice(at, start) + text.slice(start, end).replace(/[^\n]/g, ' ');
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Inline spans of one line with prose beside them, pushed onto `code` as absolute offsets. A run of N backticks
 * opens a span that the next run of exactly N closes (CommonMark); runs are paired left to right through one
 * queue per length, so a line of unmatched runs stays linear.
 */
function spans(text: string, lineStart: number, line: string, code: [number, number][]): void {
  const runs: [at: number, length: number][] = [];
  for (let i = line.indexOf('`'); i !== -1; ) {
    let j = i;
    while (line[j] === '`') j++;
    runs.push([i, j - i]);
    i = line.indexOf('`', j);
  }
  const byLength = new Map<number, number[]>();
  runs.forEach(([, length], k) => {
    let list = byLength.get(length);
    if (list === undefined) byLength.set(length, (list = []));
    list.push(k);
  });
  const next = new Map<number, number>();
  let k = 0;
  while (k < runs.length) {
    const [at, length] = runs[k]!;
    const list = byLength.get(length)!;
    let p = next.get(length) ?? 0;
    while (p < list.length && list[p]! <= k) p++;
    next.set(length, p + 1);
    if (p === list.length) {
      k++;
      continue;
    }
    const close = list[p]!;
    const end = runs[close]![0] + length;
    const start = lineStart + at;
    const stop = lineStart + end;
    if (end - at - 2 * length <= SPAN_MAX && besideProse(text, start, stop)) pushCode(text, start, stop, code);
    k = close + 1;
  }
}

/** A region holding `${` is a JavaScript template or a shell expansion that runs: never masked. */
function pushCode(text: string, start: number, end: number, code: [number, number][]): void {
  if (!text.slice(start, end).includes('${')) code.push([start, end]);
}

function besideProse(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 10), start);
  const after = text.slice(end, end + 12);
  // A Markdown link whose text is code, "[`x`](url)", needs both halves: `[` alone is Perl's `@{[`id`]}`.
  if (before.endsWith('[') && after.startsWith('](')) return true;
  return PROSE_BEFORE.test(before) || (SPAN_START_AFTER_PROSE.test(before.slice(-1)) && PROSE_AFTER.test(after));
}
