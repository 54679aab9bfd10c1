import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyBytes, classifyText } from './binary.ts';
import { xorshiftBytes } from '../core/prng.ts';

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('classifyBytes tells binary bodies from text', () => {
  const cases: [name: string, bytes: Buffer, binary: boolean][] = [
    ['ASCII prose is text', utf8('The quick brown fox jumps over the lazy dog.\r\n\tIndented line.'), false],
    ['UTF-8 with accents, CJK and emoji is text', utf8('Zoë, 東京, Ürün 🎉 — “quotes”'.repeat(20)), false],
    ['ANSI colour escapes are text (file(1) counts ESC as text)', utf8('\x1b[31mred\x1b[0m '.repeat(20)), false],
    ['a text body with one stray NUL is text', utf8(`; cat /etc/passwd\x00${' padding'.repeat(10)}`), false],
    ['a short text with one stray NUL is text', utf8('a\x00b'), false],
    [
      'Latin-1 prose (malformed UTF-8 accents) is text',
      latin1('Café, crème brûlée, déjà vu, señor. '.repeat(10)),
      false,
    ],
    ['fewer than 8 odd bytes is never binary', Buffer.from([0, 1, 2, 3, 4, 5, 6]), false],
    ['8 control bytes are binary', Buffer.from([0, 1, 2, 3, 4, 5, 6, 0x0e]), true],
    ['random bytes are binary', xorshiftBytes(4096, 7), true],
    [
      'a PNG header and compressed-looking data are binary',
      Buffer.concat([latin1('\x89PNG\r\n\x1a\n'), xorshiftBytes(512, 3)]),
      true,
    ],
    ['UTF-16LE text (every other byte NUL) is binary', Buffer.from('hello world, this is UTF-16', 'utf16le'), true],
    [
      'overlong UTF-8 (C0 AF) is odd, not text',
      Buffer.from(Array.from({ length: 16 }, (_, i) => (i % 2 ? 0xaf : 0xc0))),
      true,
    ],
    [
      'UTF-16 surrogates encoded in UTF-8 (ED A0 80) are odd',
      Buffer.from(Array(12).fill([0xed, 0xa0, 0x80]).flat()),
      true,
    ],
  ];
  for (const [name, bytes, binary] of cases) {
    test(name, () => assert.equal(classifyBytes(bytes).binary, binary, `odd share ${classifyBytes(bytes).oddShare}`));
  }
  test('random bytes sit far above the 30 % threshold at every size from 1 KB', () => {
    for (let i = 0; i < 50; i++) {
      const { oddShare } = classifyBytes(xorshiftBytes(1000 * (1 + i), 1000 + i));
      assert.ok(oddShare > 0.45, `${oddShare}`);
    }
  });
});

describe('classifyText gives the same answer on decoded text', () => {
  test('random bytes decoded as UTF-8 are binary, prose is not', () => {
    assert.equal(classifyText(xorshiftBytes(4096, 11).toString('utf8')).binary, true);
    assert.equal(classifyText('Zoë 🎉 plain words and a stray \x00 NUL').binary, false);
  });
});
