import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasKey, LiteralScan } from './prefilter.ts';

const LITERALS = ['sh', 'bash', 'select', 'union', '(', '${', 'he', 'she', 'hers', '\n'];

function found(scan: LiteralScan, text: string): string[] {
  const bits = new Uint32Array(scan.words);
  scan.scan(text, bits);
  return LITERALS.filter((_, k) => hasKey(bits, k));
}

const scan = new LiteralScan(
  LITERALS.map((literal, key) => ({ literal, key })),
  LITERALS.length,
);

test('one scan finds every literal in the text, overlapping ones included', () => {
  assert.deepEqual(found(scan, 'ushers'), ['sh', 'he', 'she', 'hers']);
  assert.deepEqual(found(scan, 'x; bash -c'), ['sh', 'bash']);
  assert.deepEqual(found(scan, 'a\nb ${x}'), ['${', '\n']);
  assert.deepEqual(found(scan, 'plain words'), []);
});

test('ASCII letters are matched case-insensitively; other characters reset the match', () => {
  assert.deepEqual(found(scan, 'UNION SeLeCt'), ['select', 'union']);
  assert.deepEqual(found(scan, 'sel\u00e9ct'), []);
  assert.deepEqual(found(scan, 'uni\u{1f600}on'), []);
});

test('the two characters whose lower case is an ASCII letter count as that letter, as gates did', () => {
  // U+212A KELVIN SIGN lower-cases to "k"; U+0130 to "i" + a combining dot.
  const k = new LiteralScan([{ literal: 'kill', key: 0 }, { literal: 'if', key: 1 }], 2);
  const bits = new Uint32Array(k.words);
  k.scan('\u212aill \u0130f', bits);
  assert.ok(hasKey(bits, 0));
  // toLowerCase() puts U+0307 between i and f; finding "if" anyway only lets a rule run that need not.
  assert.ok(hasKey(bits, 1));
});

test('keys above 31 land in later words of the bit set, bit 31 included', () => {
  const wide = new LiteralScan(
    [
      { literal: 'a', key: 31 },
      { literal: 'b', key: 63 },
      { literal: 'c', key: 64 },
    ],
    65,
  );
  const bits = new Uint32Array(wide.words);
  wide.scan('abc', bits);
  assert.deepEqual([hasKey(bits, 31), hasKey(bits, 63), hasKey(bits, 64), hasKey(bits, 0)], [true, true, true, false]);
});

test('a non-ASCII literal is refused when the automaton is built', () => {
  assert.throws(() => new LiteralScan([{ literal: 'é', key: 0 }], 1), /not ASCII/);
});

test('a character no literal holds breaks a partial match, wherever it falls', () => {
  // Its column in every state leads back to the root; a DFA built with a wrong default would carry `sel` across.
  assert.deepEqual(found(scan, 'sel~ect uni#on ba!s~h'), []);
  assert.deepEqual(found(scan, '~${~(~'), ['(', '${']);
  assert.deepEqual(found(scan, 'h~ers'), []);
});
