import assert from 'node:assert/strict';
import { test } from 'node:test';
import { xorshiftInts as rng } from '../core/prng.ts';
import { requiredLiterals } from './literals.ts';
import { loadRuleset } from './ruleset.ts';

const CASES: [source: string, literals: string[] | undefined][] = [
  ['union\\s+select', ['select']],
  ['\\bUNION\\b', ['union']],
  ['(?:foo|bar)baz', ['barbaz', 'foobaz']],
  ['ab?c', ['a']],
  ['[sS]ystem\\(', ['system(']],
  ['(?:^|/)\\.env', ['.env']],
  ['a|\\d+', undefined],
  ['x{0,3}', undefined],
  ['(?:ab){2}', ['ab']],
  ['(?<!\\w)on\\w+=', ['on']],
  ['(["\'])x\\1', ['"x', "'x"]],
  ['[a-z]+@', ['@']],
  ['\\x41\\u0042', ['ab']],
  ['[^<]*<', ['<']],
  ['é', undefined],
  ['\\$\\{jndi:', ['${jndi:']],
  ['a{', ['a{']],
];

test('required literals are derived from sequences, alternations, classes and escapes', () => {
  for (const [source, expected] of CASES) assert.deepEqual(requiredLiterals(source), expected, source);
});

test('every text a regex matches holds one of its required literals (case folded)', () => {
  const texts = ['UNION  SELECT 1', 'fooBAZ', 'xSystem(1)', 'a/.env', 'ABAB', '<a onload=x>', '"x"', 'me@x', 'AB'];
  for (const [source, lits] of CASES) {
    if (lits === undefined) continue;
    const re = new RegExp(source, 'i');
    for (const t of texts) {
      if (re.test(t)) assert.ok(lits.some((l) => t.toLowerCase().includes(l)), `${source} on ${t}`);
    }
  }
});

test('the literal parser understands every shipped rule regex', () => {
  for (const rule of loadRuleset().rules) {
    if (rule.regex === undefined) continue;
    assert.doesNotThrow(() => requiredLiterals(rule.regex!.source), rule.id);
    assert.ok(rule.literals !== undefined, `${rule.id} has no required literal: it runs on every value`);
  }
});

test('each rule example its regex matches holds one of the rule required literals', () => {
  for (const rule of loadRuleset().rules) {
    if (rule.regex === undefined || rule.literals === undefined || rule.transforms.length > 0) continue;
    for (const ex of rule.def.examples.positive) {
      const text = typeof ex === 'string' ? ex : JSON.stringify(ex);
      if (!rule.regex.test(text)) continue;
      const folded = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
      assert.ok(
        rule.literals.some((l) => folded.includes(l)),
        `${rule.id}: ${text} holds none of ${rule.literals.join(' ')}`,
      );
    }
  }
});

test('syntax the parser does not know is an error, never a silent guess', () => {
  assert.throws(() => requiredLiterals('(?<x'));
  assert.throws(() => requiredLiterals('a)'));
});

test('Annex B escapes and class ranges are read as V8 reads them (each once gave a literal the match lacks)', () => {
  // [Z-a] holds `_`: ranges were computed on folded ends (z..a, empty), so the branch vanished from the set.
  assert.deepEqual(requiredLiterals('(?:foo|[Z-a])x'), ['x']);
  assert.equal(requiredLiterals('(?:admin|[X-b])'), undefined);
  // In a class `\B` is `B`, not a backspace.
  assert.deepEqual(requiredLiterals('[\\B]ar'), ['bar']);
  // `\012` is one octal character (a line feed), not NUL, `1`, `2`.
  assert.deepEqual(requiredLiterals('\\012abc'), ['abc']);
  // `\c` before a non-letter is a backslash followed by `c`.
  assert.deepEqual(requiredLiterals('a\\c1b'), ['a\\c1b']);
  // `\k` without a group name is `k`; it must not send the parser back to the start.
  assert.deepEqual(requiredLiterals('\\kxyz'), ['xyz']);
  // Unicode mode folds `ſ` to `s` and reads escapes differently: not modelled, so no literal.
  assert.equal(requiredLiterals('select', 'iu'), undefined);
  assert.deepEqual(requiredLiterals('select', 'i'), ['select']);
});

test('random regexes over tricky syntax: every text one matches holds a required literal', () => {
  const r = rng(0x2545f491);
  const pick = <T>(xs: readonly T[]): T => xs[r(xs.length)]!;
  const ATOMS = ['a', 'b', 'A', '_', 'x', '\\[', '\\\\', '.', '\\x41', '\\u0062', '\\012', '\\c1', '\\n', '\\b', '\\B',
    '^', '$', '\\s', '\\W', '\\d', '[ab]', '[A-_]', '[Z-a]', '[^a]', '[\\B]', '[a-c]', '[\\x41-\\x43]', '[_\\d]',
    '[\\b]', '[\\c_]', '\\1', '\\k', '(?=a)', '(?<!b)', '(?!x)', '[]', '[^]'];
  const QUANTS = ['', '', '', '?', '*', '+', '{0,2}', '{2}', '{1,}', '??'];
  const gen = (depth: number): string => {
    const parts: string[] = [];
    const len = 1 + r(3);
    for (let i = 0; i < len; i++) {
      let atom = pick(ATOMS);
      if (depth < 2 && r(4) === 0) {
        const open = pick(['(?:', '(', '(?<g>']);
        atom = `${open}${gen(depth + 1)}${r(2) ? `|${gen(depth + 1)}` : ''})`;
      }
      parts.push(atom + pick(QUANTS));
    }
    return parts.join('');
  };
  const ALPHABET = ['a', 'b', 'A', 'B', '_', '[', ']', '\\', 'c', '1', '\n', 'x', 'X', 'Z', '`', '^', '\u0001', ' '];
  let matched = 0;
  for (let k = 0; k < 3000; k++) {
    const source = gen(0);
    let re: RegExp;
    try {
      re = new RegExp(source, r(2) ? 'i' : '');
    } catch {
      continue; // e.g. a named group repeated
    }
    const lits = requiredLiterals(re.source, re.flags);
    if (lits === undefined) continue;
    for (let j = 0; j < 300; j++) {
      let t = '';
      for (let n = r(9); n > 0; n--) t += pick(ALPHABET);
      if (!re.test(t)) continue;
      matched++;
      const folded = t.replace(/[A-Z]/g, (c) => c.toLowerCase());
      const why = `/${source}/${re.flags} matches ${JSON.stringify(t)}, none of ${JSON.stringify(lits)}`;
      assert.ok(
        lits.some((l) => folded.includes(l)),
        why,
      );
    }
  }
  // The fuzz must exercise real matches, or it proves nothing.
  assert.ok(matched > 20_000, `only ${matched} matching texts`);
});
