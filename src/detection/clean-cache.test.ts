import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CleanCache, GENERATION } from './clean-cache.ts';

describe('CleanCache', () => {
  test('bits accumulate per key and unknown keys read as 0', () => {
    const c = new CleanCache();
    c.put('a', c.get('a') | 1);
    c.put('a', c.get('a') | 4);
    assert.equal(c.get('a'), 5);
    assert.equal(c.get('b'), 0);
  });
  test('a key is dropped after two generations of newer keys', () => {
    const c = new CleanCache();
    c.put('a', 10);
    for (let i = 0; i < GENERATION * 3; i++) c.put(i, 1);
    assert.equal(c.get('a'), 0, 'dropped after two generations of newer keys');
    assert.ok(c.size <= 2 * GENERATION);
  });
  test('keys recurring in a cycle longer than one generation still mostly hit (one map cleared when full: never)', () => {
    const c = new CleanCache();
    const n = Math.floor(GENERATION * 1.25);
    let hits = 0;
    for (let round = 0; round < 3; round++) {
      hits = 0;
      for (let i = 0; i < n; i++) {
        if (c.get(`ip-${i}`) !== 0) hits++;
        else c.put(`ip-${i}`, 1);
      }
    }
    // A key lives between one and two generations of insertions: 2 - 1.25 = 0.75 of a cycle of 1.25 hits.
    assert.ok(hits / n > 0.55, `hit rate ${hits / n}`);
    assert.ok(c.size <= 2 * GENERATION);
  });
  test('memory stays bounded at two generations however many keys arrive', () => {
    const c = new CleanCache();
    for (let i = 0; i < GENERATION * 5; i++) c.put(i, 2);
    assert.ok(c.size <= 2 * GENERATION);
    assert.equal(c.get(GENERATION * 5 - 1), 2);
    assert.equal(c.get(0), 0);
  });
});
