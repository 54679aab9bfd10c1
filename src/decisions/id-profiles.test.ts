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
});
