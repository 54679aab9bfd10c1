import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Budget, CappedLru } from './lru.ts';

/**
 * Model check: a plain Map mirrors every write, delete and reported eviction; after every operation the capped
 * map must answer exactly as the model does (this covers the one-entry lookup memo and the second-chance moves).
 */
function check(cap: number, shared: boolean, seed: number): void {
  const budget = new Budget(cap);
  const models = [new Map<string, number>(), new Map<string, number>()];
  const lrus = models.map(
    (model) => new CappedLru<string, number>(shared ? budget : cap, (key, value) => {
      assert.equal(model.get(key), value, `evicted ${key} with its latest value`);
      model.delete(key);
    }),
  );
  let s = seed;
  const rnd = (n: number) => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s % n;
  };
  for (let step = 0; step < 20_000; step++) {
    const which = shared ? rnd(2) : 0;
    const lru = lrus[which]!;
    const model = models[which]!;
    const key = `k${rnd(cap * 3)}`;
    const op = rnd(6);
    // The model learns of a write first: the write itself may evict (even the new entry, when every older one
    // has a second chance pending and the cap is tiny).
    if (op === 0) {
      model.set(key, step);
      lru.set(key, step);
    } else if (op === 1) {
      if (!model.has(key)) model.set(key, step);
      lru.upsert(key, () => step);
    } else if (op === 2) {
      assert.equal(lru.delete(key), model.delete(key));
    } else if (op === 3) {
      assert.equal(lru.use(key), model.get(key), `use ${key} at ${step}`);
    } else {
      assert.equal(lru.get(key), model.get(key), `get ${key} at ${step}`);
    }
    assert.equal(lru.size, model.size);
    const used = shared ? lrus[0]!.size + lrus[1]!.size : lru.size;
    assert.ok(used <= cap, `${used} entries within the cap of ${cap}`);
  }
}

test('a capped map answers like a plain map of what it kept, and stays under its cap', () => {
  for (const seed of [1, 2, 3]) check(16, false, seed);
  check(1, false, 9);
});

test('two maps sharing one budget stay under it together', () => {
  for (const seed of [4, 5]) check(24, true, seed);
});

test('an entry used since the last sweep gets a second chance', () => {
  const lru = new CappedLru<string, number>(3);
  lru.set('a', 1);
  lru.set('b', 2);
  lru.set('c', 3);
  lru.use('a');
  lru.set('d', 4); // b, the oldest unused entry, goes; a was used
  assert.deepEqual([...lru.entries()].map(([k]) => k).sort(), ['a', 'c', 'd']);
});
