import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mulberry32 } from '../core/prng.ts';
import { splitAtStart } from './anchor-split.ts';
import { loadRuleset } from './ruleset.ts';

const matches = (re: RegExp, text: string): boolean => re.exec(text) !== null;

describe('splitAtStart', () => {
  test('a top-level ^ branch goes to the anchored regex, the others stay together', () => {
    const s = splitAtStart(/^\s*cat\s+\/|[;|&]\s*cat\s+\/|bin\/cat/i)!;
    assert.equal(s.atStart.source, '^(?:\\s*cat\\s+\\/)');
    assert.equal(s.elsewhere.source, '[;|&]\\s*cat\\s+\\/|bin\\/cat');
    assert.equal(s.atStart.flags, 'i');
  });

  test('a leading (?:^|…) group is distributed over the rest of its branch', () => {
    const s = splitAtStart(/(?:^|[;|&]\s*|\/bin\/)cat\b/)!;
    assert.equal(s.atStart.source, '^(?:cat\\b)');
    assert.equal(s.elsewhere.source, '(?:[;|&]\\s*|\\/bin\\/)cat\\b');
  });

  test('group branches that start with ^ and go on keep what follows the ^', () => {
    const s = splitAtStart(/(?:^(?:s?bin\/)?|[;|]\s*|\/s?bin\/)ls\b/)!;
    assert.equal(s.atStart.source, '^(?:(?:(?:s?bin\\/)?)ls\\b)');
    assert.equal(s.elsewhere.source, '(?:[;|]\\s*|\\/s?bin\\/)ls\\b');
    for (const t of ['ls -l', 'bin/ls', 'sbin/ls', 'x; ls', '/usr/bin/ls', 'als', 'bins/ls'])
      assert.equal(matches(s.atStart, t) || matches(s.elsewhere, t), /(?:^(?:s?bin\/)?|[;|]\s*|\/s?bin\/)ls\b/.test(t), t);
  });

  test('shapes it does not understand are left alone', () => {
    assert.equal(splitAtStart(/^a|^b/), undefined, 'every branch anchored: V8 already tries only position 0');
    assert.equal(splitAtStart(/a|b(?:^|c)/), undefined, 'no branch starts at ^');
    assert.equal(splitAtStart(/(^|;)cat/), undefined, 'capturing group: splitting would renumber it');
    assert.equal(splitAtStart(/(?<name>x)|^y/), undefined, 'named group');
    assert.equal(splitAtStart(/^a|b/m), undefined, 'with m, ^ also matches after each line break');
    assert.equal(splitAtStart(/(?:^|a)+b/), undefined, 'a quantified group is not a prefix');
    assert.ok(splitAtStart(/[(]x|^y/) !== undefined, 'a ( inside a class is not a group');
    assert.ok(splitAtStart(/(?<=a)x|^y/) !== undefined, 'a lookbehind is not a capture');
  });

  test('every split rule of the shipped ruleset matches exactly the texts its regex matches', () => {
    const rng = mulberry32(7);
    const alphabet = [...' \n;|&`$/\\.-_=()<>\'"#%abcdehilmnoprstuwy019', 'cat ', 'bin/', 'etc/passwd', '../', 'id', 'ls'];
    const fuzz = (): string => {
      let s = '';
      const n = 1 + Math.floor(rng() * 12);
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(rng() * alphabet.length)];
      return s;
    };
    let split = 0;
    for (const rule of loadRuleset().rules) {
      if (rule.split === undefined) continue;
      split++;
      const texts = [...rule.def.examples.positive, ...rule.def.examples.negative]
        .map((e) => (typeof e === 'string' ? e : (e.query ?? e.path ?? e.body ?? '')))
        .concat(Array.from({ length: 400 }, fuzz));
      for (const t of texts) {
        const whole: boolean = matches(rule.regex!, t);
        const parts: boolean = matches(rule.split.atStart, t) || matches(rule.split.elsewhere, t);
        assert.equal(parts, whole, `${rule.id} on ${JSON.stringify(t)}`);
      }
    }
    assert.ok(split >= 5, `only ${split} rules split: the shapes above no longer occur in rules/`);
  });
});
