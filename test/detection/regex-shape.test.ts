import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRuleset } from '../../src/detection/ruleset.ts';

/**
 * Lookbehinds that open an alternative, at positions of `source` outside classes and escapes. V8 tries such an
 * assertion at every position of the text before it looks at the character it guards: `(?<=[^\w\s])\(` costs a
 * lookbehind per character, `\((?<=[^\w\s]\()` one per `(`. The first form made cmdi.separator-command 5–6× slower
 * on benign text (2.0 µs against 0.35 µs a run). Write the guarded literal first, or a one-character lookahead.
 */
function leadingLookbehinds(source: string): number[] {
  const found: number[] = [];
  // Whether the next token opens an alternative: at the start, after `|`, after a group opener.
  let opening = true;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      opening = false;
    } else if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      opening = false;
    } else if (source.startsWith('(?<=', i) || source.startsWith('(?<!', i)) {
      if (opening) found.push(i);
      i += 3;
      opening = true;
    } else if (source.startsWith('(?:', i) || source.startsWith('(?=', i) || source.startsWith('(?!', i)) {
      i += 2;
      opening = c === '(' && source[i] === ':';
    } else opening = c === '|' || c === '(';
  }
  return found;
}

test('no rule regex opens an alternative with a lookbehind', () => {
  const bad = loadRuleset()
    .rules.filter((r) => r.regex !== undefined)
    .flatMap((r) => leadingLookbehinds(r.regex!.source).map((at) => `${r.id} at ${at}: ${r.regex!.source.slice(at, at + 40)}`));
  assert.deepEqual(bad, []);
});

/**
 * The bodies of the lookbehinds in `source` (balanced parentheses, classes and escapes skipped over). V8 runs a
 * lookbehind backwards from where it stands, so `(?<=^\S{1,256}\.)` at every `.` of a 32 KB value re-reads up to
 * 256 characters each time: sensitive-file.backup-dump took 31–69 ms on such a value, enough to push the rest
 * of a request past the time budget uninspected.
 */
function lookbehindBodies(source: string): string[] {
  const bodies: string[] = [];
  for (let i = source.indexOf('(?<'); i !== -1; i = source.indexOf('(?<', i + 1)) {
    if (source[i + 3] !== '=' && source[i + 3] !== '!') continue;
    if (i > 0 && source[i - 1] === '\\') continue;
    let depth = 0;
    let j = i;
    for (; j < source.length; j++) {
      const c = source[j];
      if (c === '\\') {
        j++;
      } else if (c === '[') {
        for (j++; j < source.length && source[j] !== ']'; j++) if (source[j] === '\\') j++;
      } else if (c === '(') {
        depth++;
      } else if (c === ')' && --depth === 0) {
        break;
      }
    }
    bodies.push(source.slice(i + 4, j));
  }
  return bodies;
}

/** A quantifier that lets a lookbehind read far back: `*`, `+` or an upper bound above 16. */
const LONG_REACH = /(?<!\\)[*+]|\{\d*,(?:\d{3,}|[2-9]\d|1[7-9])?\}/;

test('no rule regex has a lookbehind that reads more than a few characters back', () => {
  const bad = loadRuleset()
    .rules.filter((r) => r.regex !== undefined)
    .flatMap((r) => lookbehindBodies(r.regex!.source).filter((b) => LONG_REACH.test(b)).map((b) => `${r.id}: (?<…${b})`));
  assert.deepEqual(bad, []);
  assert.deepEqual(lookbehindBodies(String.raw`x(?<=^\S{1,256}\.)y`).filter((b) => LONG_REACH.test(b)).length, 1);
  assert.deepEqual(lookbehindBodies(String.raw`\((?<=(?:[^\w\s]|\b\d{1,8})\()`).filter((b) => LONG_REACH.test(b)).length, 0);
});

test('the shape check finds the slow forms and passes the fast ones', () => {
  assert.deepEqual(leadingLookbehinds(String.raw`(?<=[^\w\s])\(`), [0]);
  assert.deepEqual(leadingLookbehinds(String.raw`a|(?<!x)b`), [2]);
  assert.deepEqual(leadingLookbehinds(String.raw`(?:(?<=x)y)`), [3]);
  assert.deepEqual(leadingLookbehinds(String.raw`\((?<=[^\w\s]\()`), []);
  assert.deepEqual(leadingLookbehinds(String.raw`(?=[.,])(?<![.,])x`), []);
  assert.deepEqual(leadingLookbehinds(String.raw`[(?<=x]\(?<!`), []);
});
