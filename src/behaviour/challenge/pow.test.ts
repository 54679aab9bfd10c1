import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { checkSolution, leadingZeroBits, SHA256_JS } from './pow.ts';

const pageSha256 = new Function(`${SHA256_JS}; return sha256;`)() as (s: string) => number[];

test('the page’s SHA-256 matches node:crypto on inputs across block boundaries', () => {
  for (const input of ['', 'abc', 'v1.p.123.x', 'a'.repeat(55), 'b'.repeat(56), 'c'.repeat(64), 'd'.repeat(130)]) {
    const words = pageSha256(input)
      .map((w) => (w >>> 0).toString(16).padStart(8, '0'))
      .join('');
    assert.equal(words, createHash('sha256').update(input).digest('hex'), `length ${input.length}`);
  }
});

test('leading zero bits are counted across bytes', () => {
  const cases: [bytes: number[], bits: number][] = [
    [[0x80], 0],
    [[0x01], 7],
    [[0x00, 0x40], 9],
    [[0x00, 0x00, 0x00], 24],
  ];
  for (const [bytes, bits] of cases) assert.equal(leadingZeroBits(Uint8Array.from(bytes)), bits);
});

test('a solution found by brute force checks, and does not check at a higher difficulty', () => {
  const token = 'v1.p.1.abc.x.y.z.8.mac';
  let n = 0;
  while (!checkSolution(token, n.toString(36), 8)) n++;
  const digest = createHash('sha256')
    .update(`${token}.${n.toString(36)}`)
    .digest();
  assert.equal(checkSolution(token, n.toString(36), leadingZeroBits(digest) + 1), false);
  assert.equal(checkSolution(token, 'NOT-BASE36', 0), false);
});
