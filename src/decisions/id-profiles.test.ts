import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IdProfiles } from './id-profiles.ts';
import { U32Table } from './u32-table.ts';

describe('IdProfiles', () => {
  test('a page of ids with one profile stays uniform and answers for every id', () => {
    const m = new IdProfiles();
    for (let id = 1; id <= 5000; id++) m.add(id, 7);
    for (let id = 1; id <= 5000; id++) assert.equal(m.get(id), 7);
  });

  test('a second profile on a page keeps the first one right for the ids that had it', () => {
    const m = new IdProfiles();
    for (let id = 1; id <= 100; id++) m.add(id, 3);
    m.add(101, 9);
    m.add(102, 3);
    for (let id = 1; id <= 100; id++) assert.equal(m.get(id), 3);
    assert.equal(m.get(101), 9);
    assert.equal(m.get(102), 3);
  });

  test('an emptied page takes a new profile for its next id, and a re-added id its new profile', () => {
    const m = new IdProfiles();
    m.add(2048, 4);
    m.add(2049, 5);
    m.delete(2048);
    m.delete(2049);
    m.add(2050, 6);
    assert.equal(m.get(2050), 6);
    m.delete(2050);
    m.add(2050, 8);
    assert.equal(m.get(2050), 8);
  });

  test('ids far apart grow the directory without losing earlier ones', () => {
    const m = new IdProfiles();
    m.add(1, 2);
    m.add(3_000_000_000, 11);
    m.add(123_456_789, 12);
    assert.equal(m.get(1), 2);
    assert.equal(m.get(3_000_000_000), 11);
    assert.equal(m.get(123_456_789), 12);
  });
});

describe('U32Table profiles', () => {
  test('every entry keeps its own profile through growth, overwrites and removals', () => {
    const t = new U32Table(16);
    const ref = new Map<number, { id: number; prof: number }>();
    let id = 1;
    for (let i = 0; i < 50_000; i++) {
      const key = Math.imul(i % 30_000, 0x9e3779b1) >>> 0;
      // Mostly one profile, like an import, with every 7th entry on its own, like manual decisions.
      const prof = i % 7 === 0 ? 100 + (i % 13) : 1;
      t.set(key, id, prof);
      ref.set(key, { id, prof });
      id++;
      if (i % 5 === 0) {
        const gone = Math.imul((i * 3) % 30_000, 0x9e3779b1) >>> 0;
        const s = t.find(gone);
        if (s >= 0) {
          t.removeAt(s);
          ref.delete(gone);
        }
      }
    }
    assert.equal(t.size, ref.size);
    for (const [key, e] of ref) {
      const s = t.find(key);
      assert.ok(s >= 0, `key ${key}`);
      assert.equal(t.idAt(s), e.id);
      assert.equal(t.profAt(s), e.prof);
    }
    let seen = 0;
    t.sweep((key, sid, prof) => {
      const e = ref.get(key)!;
      assert.equal(sid, e.id);
      assert.equal(prof, e.prof);
      seen++;
      return prof !== 1;
    });
    assert.equal(seen, ref.size);
    for (const [key, e] of ref) assert.equal(t.find(key) >= 0, e.prof === 1);
  });

  test('a re-import that points a whole run of kept ids at a new profile leaves the pages uniform again', () => {
    const t = new U32Table(1 << 16);
    for (let i = 0; i < 10_000; i++) t.set(i * 7 + 1, i + 1, 3);
    // The same targets again, same ids, in the same order, now with profile 8 (what importer.ts does on a refresh).
    for (let i = 0; i < 10_000; i++) t.set(i * 7 + 1, i + 1, 8);
    for (let page = 0; page <= 10_000 >>> 10; page++) assert.equal(t.profs.isMixed(page), false, `page ${page}`);
    for (let i = 0; i < 10_000; i++) assert.equal(t.profAt(t.find(i * 7 + 1)), 8);
  });

  test('a page with stale ids of the old profile collapses once they are deleted', () => {
    const m = new IdProfiles();
    for (let id = 1; id <= 1000; id++) m.add(id, 3);
    for (let id = 1; id <= 900; id++) {
      m.delete(id);
      m.add(id, 4);
    }
    assert.equal(m.isMixed(0), true);
    for (let id = 901; id <= 1000; id++) m.delete(id);
    assert.equal(m.isMixed(0), false);
    for (let id = 1; id <= 900; id++) assert.equal(m.get(id), 4);
  });

  test('re-pointing ids among many profiles always answers what was last set (random, against a Map)', () => {
    const m = new IdProfiles();
    const ref = new Map<number, number>();
    let x = 12345;
    const rnd = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    for (let step = 0; step < 200_000; step++) {
      const id = 1 + rnd(3000);
      const prof = 1 + rnd(step < 100_000 ? 5 : 2);
      if (ref.has(id)) m.delete(id);
      if (rnd(4) === 0) ref.delete(id);
      else {
        m.add(id, prof);
        ref.set(id, prof);
      }
    }
    for (const [id, prof] of ref) assert.equal(m.get(id), prof, `id ${id}`);
  });
  test('a page that held two interleaved profiles is uniform again once every id moved to a third', () => {
    // Two re-imports of alternate halves of a feed, then a full re-import: the page passes through three profiles.
    const m = new IdProfiles();
    for (let id = 1; id < 1024; id++) m.add(id, id % 2 === 0 ? 5 : 6);
    assert.equal(m.isMixed(0), true);
    for (let id = 1; id < 1024; id++) {
      m.delete(id);
      m.add(id, 7);
      assert.equal(m.get(id), 7);
      if (id < 1022) assert.equal(m.get(id + 2), id % 2 === 0 ? 5 : 6);
    }
    assert.equal(m.isMixed(0), false);
    for (let id = 1; id < 1024; id++) assert.equal(m.get(id), 7);
    // Ids removed while mixed are not counted: after deleting the odd ones and moving evens off, one profile left.
    for (let id = 1; id < 1024; id += 2) m.delete(id);
    m.delete(2);
    m.add(2, 9);
    assert.equal(m.isMixed(0), true);
    m.delete(2);
    assert.equal(m.isMixed(0), false);
    assert.equal(m.get(4), 7);
  });
});
