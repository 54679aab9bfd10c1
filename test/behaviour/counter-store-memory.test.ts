import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryCounterStore } from '../../src/behaviour/counter-store.ts';
import { counterStoreConformance } from './counter-store-conformance.ts';

counterStoreConformance('memory', () => new MemoryCounterStore());

test('memory: past its key cap the store evicts, and a key given an evicted row starts from zero', () => {
  const store = new MemoryCounterStore({ maxKeys: 100 });
  const spec = { name: 'rate', windowMs: 10_000, bucketMs: 1_000 };
  const now = 50_000;
  for (let i = 0; i < 1_000; i++) store.add(spec, `ip:${i}`, now, i + 1);
  const stats = store.stats();
  assert.ok(stats.keys <= 100, `keys ${stats.keys} stay under the cap`);
  assert.ok(stats.evictions >= 900, `evictions ${stats.evictions}`);
  // The latest keys survive with exactly their own counts: rows taken over from evicted keys were reset.
  for (let i = 990; i < 1_000; i++) assert.equal(store.sum(spec, `ip:${i}`, now), i + 1);
  assert.equal(store.sum(spec, 'ip:0', now), 0);
  store.add(spec, 'ip:fresh', now);
  assert.equal(store.sum(spec, 'ip:fresh', now), 1);
});

test('memory: a key used often survives a flood of new keys (second chance)', () => {
  const store = new MemoryCounterStore({ maxKeys: 50 });
  const spec = { name: 'rate', windowMs: 10_000, bucketMs: 1_000 };
  for (let i = 0; i < 500; i++) {
    store.add(spec, 'ip:steady', 1_000);
    store.add(spec, `ip:new-${i}`, 1_000);
  }
  assert.equal(store.sum(spec, 'ip:steady', 1_000), 500);
});
