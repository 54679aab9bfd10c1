import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Memo } from './memo.ts';

test('computes once per key and stays within two generations', () => {
  const memo = new Memo<string>(4);
  let computed = 0;
  const upper = (k: string) => {
    computed++;
    return k.toUpperCase();
  };
  for (let round = 0; round < 3; round++) for (const k of ['a', 'b', 'c']) assert.equal(memo.get(k, upper), k.toUpperCase());
  assert.equal(computed, 3);
  for (let i = 0; i < 100; i++) memo.get(`k${i}`, upper);
  assert.ok(memo.size <= 8, `size ${memo.size}`);
});

test('a key recurring in a cycle longer than one generation still hits (a cleared map would miss it)', () => {
  const memo = new Memo<number>(10);
  let computed = 0;
  const len = (k: string) => {
    computed++;
    return k.length;
  };
  // 12 keys in a cycle: a single map of 10 cleared when full would recompute every one of them every time.
  const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
  for (const k of keys) memo.get(k, len);
  computed = 0;
  for (let round = 0; round < 5; round++) for (const k of keys) memo.get(k, len);
  assert.ok(computed <= 60 / 2, `${computed} of 60 recomputed`);
});

test('keys not seen for two generations are forgotten', () => {
  const memo = new Memo<number>(2);
  memo.set('a', 1);
  for (const k of ['b', 'c', 'd', 'e']) memo.set(k, 0);
  assert.equal(memo.peek('a'), undefined);
  assert.equal(memo.peek('e'), 0);
});
