import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { U32Table } from './u32-table.ts';

let seed = 3;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
};

describe('U32Table filter', () => {
  test('never rules out a key it holds, through growth, removals and the rebuilds they cause', () => {
    const t = new U32Table(16, { filter: true });
    const live = new Set<number>();
    for (let i = 0; i < 200_000; i++) {
      const k = i === 0 ? 0 : i === 1 ? 0xffffffff : rnd();
      t.set(k, i + 1, 1);
      live.add(k);
    }
    let n = 0;
    for (const k of [...live]) {
      if (n++ % 4 === 0) continue;
      t.removeAt(t.find(k));
      live.delete(k);
    }
    assert.equal(t.size, live.size);
    for (const k of live) assert.ok(t.mayHave(k), `key ${k}`);
    assert.ok(live.has(0) && t.mayHave(0));
  });

  test('rules out most keys it does not hold at the table’s full load', () => {
    const t = new U32Table(16, { filter: true });
    // 0.6 of capacity, the load of 10 M keys in 2^24 slots.
    const cap = 1 << 18;
    for (let i = 0; i < cap * 0.6; i++) t.set(rnd(), i + 1, 1);
    assert.equal(t.capacity, cap);
    let maybe = 0;
    const probes = 100_000;
    for (let i = 0; i < probes; i++) {
      const k = rnd();
      if (t.mayHave(k) && t.find(k) === -1) maybe++;
    }
    assert.ok(maybe / probes < 0.1, `false-positive share ${maybe / probes}`);
  });

  test('a table without a filter always answers maybe', () => {
    const t = new U32Table(16);
    assert.ok(t.mayHave(12345));
    assert.equal(t.filter.length, 0);
  });

});
