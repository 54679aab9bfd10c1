import assert from 'node:assert/strict';
import { test } from 'node:test';
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
