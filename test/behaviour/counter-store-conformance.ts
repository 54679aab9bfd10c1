import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CounterStore, DistinctSpec, SeriesSpec } from '../../src/behaviour/counter-store.ts';
import { ManualClock } from '../../src/core/clock.ts';

/**
 * The contract every CounterStore keeps (style rule 7): the embedded and the Redis implementation run this same
 * suite. `make` builds a store on the given clock; `sync` is awaited before reads so a store that aggregates in
 * the background is judged on what it has agreed with its peers.
 */
export function counterStoreConformance(
  name: string,
  make: (clock: ManualClock) => CounterStore | Promise<CounterStore>,
): void {
  const minute: SeriesSpec = { name: 'conf.minute', windowMs: 60_000, bucketMs: 10_000 };
  const accounts: DistinctSpec = { name: 'conf.accounts', windowMs: 60_000, bucketMs: 10_000, maxMembers: 100 };

  test(`${name}: a sum covers exactly the window ending now`, async () => {
    const clock = new ManualClock();
    const store = await make(clock);
    try {
      const cases: [advanceMs: number, add: number, expected: number][] = [
        [0, 3, 3],
        [10_000, 2, 5],
        [30_000, 1, 6],
        [25_000, 0, 3], // t = 65 s: the first bucket (0–10 s) has slid out
        [60_000, 0, 0],
      ];
      for (const [advanceMs, add, expected] of cases) {
        clock.advance(advanceMs);
        if (add > 0) store.add(minute, 'ip:192.0.2.1', clock.now(), add);
        await store.sync();
        assert.equal(store.sum(minute, 'ip:192.0.2.1', clock.now()), expected, `at +${advanceMs} ms`);
      }
    } finally {
      await store.close();
    }
  });

  test(`${name}: keys and series do not bleed into each other`, async () => {
    const clock = new ManualClock();
    const store = await make(clock);
    try {
      store.add(minute, 'ip:192.0.2.1', clock.now(), 4);
      store.add({ ...minute, name: 'conf.other' }, 'ip:192.0.2.1', clock.now(), 7);
      await store.sync();
      assert.equal(store.sum(minute, 'ip:192.0.2.1', clock.now()), 4);
      assert.equal(store.sum(minute, 'ip:192.0.2.2', clock.now()), 0);
    } finally {
      await store.close();
    }
  });

  test(`${name}: distinct counts each member once and forgets members older than the window`, async () => {
    const clock = new ManualClock();
    const store = await make(clock);
    try {
      for (const user of ['alice', 'bob', 'alice', 'carol']) store.addDistinct(accounts, 'http:h1', user, clock.now());
      await store.sync();
      assert.equal(store.distinct(accounts, 'http:h1', clock.now()), 3);
      clock.advance(70_000);
      store.addDistinct(accounts, 'http:h1', 'dave', clock.now());
      await store.sync();
      assert.equal(store.distinct(accounts, 'http:h1', clock.now()), 1);
    } finally {
      await store.close();
    }
  });

  test(`${name}: distinct saturates at maxMembers so memory stays bounded`, async () => {
    const clock = new ManualClock();
    const store = await make(clock);
    const small: DistinctSpec = { ...accounts, name: 'conf.small', maxMembers: 5 };
    try {
      for (let i = 0; i < 50; i++) store.addDistinct(small, 'ip:192.0.2.9', `u${i}`, clock.now());
      await store.sync();
      assert.equal(store.distinct(small, 'ip:192.0.2.9', clock.now()), 5);
    } finally {
      await store.close();
    }
  });

  test(`${name}: reads are synchronous and exact before any sync`, async () => {
    const clock = new ManualClock();
    const store = await make(clock);
    try {
      store.add(minute, 'route:POST /login', clock.now());
      store.add(minute, 'route:POST /login', clock.now());
      assert.equal(store.sum(minute, 'route:POST /login', clock.now()), 2);
      assert.equal(store.stats().kind, store.kind);
    } finally {
      await store.close();
    }
  });
}
