import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { DistinctSpec, SeriesSpec } from '../../src/behaviour/counter-store.ts';
import { RedisCounterStore } from '../../src/behaviour/redis-counter-store.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { counterStoreConformance } from './counter-store-conformance.ts';

// Needs Redis on 127.0.0.1:6379 (README). Each store gets a fresh prefix so runs never see each other's keys.
const REDIS = process.env.PORTCULLIS_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

async function ready(store: RedisCounterStore): Promise<RedisCounterStore> {
  for (let i = 0; i < 100 && store.stats().connected !== true; i++) {
    await store.sync();
    await new Promise((r) => setTimeout(r, 10));
  }
  return store;
}

counterStoreConformance('redis', (clock) =>
  ready(new RedisCounterStore({ url: REDIS, prefix: `pctest:${randomBytes(4).toString('hex')}:`, clock })),
);

const minute: SeriesSpec = { name: 'conf.minute', windowMs: 60_000, bucketMs: 10_000 };
const accounts: DistinctSpec = { name: 'conf.accounts', windowMs: 60_000, bucketMs: 10_000, maxMembers: 1000 };

test('redis: two nodes sharing a prefix see each other’s counts after a sync', async () => {
  const clock = new ManualClock();
  const prefix = `pctest:${randomBytes(4).toString('hex')}:`;
  const a = await ready(new RedisCounterStore({ url: REDIS, prefix, clock }));
  const b = await ready(new RedisCounterStore({ url: REDIS, prefix, clock }));
  try {
    a.add(minute, 'http:h1', clock.now(), 3);
    b.add(minute, 'http:h1', clock.now(), 4);
    for (const u of ['alice', 'bob']) a.addDistinct(accounts, 'http:h1', u, clock.now());
    for (const u of ['bob', 'carol', 'dave']) b.addDistinct(accounts, 'http:h1', u, clock.now());
    // First read registers interest, the sync pushes deltas and pulls totals.
    a.sum(minute, 'http:h1', clock.now());
    a.distinct(accounts, 'http:h1', clock.now());
    b.sum(minute, 'http:h1', clock.now());
    await b.sync();
    await a.sync();
    b.sum(minute, 'http:h1', clock.now()); // b reads again on its next request; that read is pulled next sync
    await b.sync();
    assert.equal(a.sum(minute, 'http:h1', clock.now()), 7);
    assert.equal(b.sum(minute, 'http:h1', clock.now()), 7);
    assert.equal(a.distinct(accounts, 'http:h1', clock.now()), 4);
    // Local growth after the pull is added on top of the remote total, without waiting for the next sync.
    a.add(minute, 'http:h1', clock.now(), 1);
    assert.equal(a.sum(minute, 'http:h1', clock.now()), 8);
  } finally {
    await a.close();
    await b.close();
  }
});

test('redis: with the server unreachable the store keeps counting locally and reports the outage once', async () => {
  const clock = new ManualClock();
  const statuses: boolean[] = [];
  // Port 1 is never a Redis: connection refused, like a Redis that went down.
  const store = new RedisCounterStore({ url: 'redis://127.0.0.1:1', clock, onStatus: (c) => statuses.push(c) });
  try {
    const started = performance.now();
    for (let i = 0; i < 5; i++) store.add(minute, 'ip:192.0.2.1', clock.now());
    await store.sync();
    await store.sync();
    assert.equal(store.sum(minute, 'ip:192.0.2.1', clock.now()), 5);
    assert.ok(performance.now() - started < 500, 'sync must not wait for a dead server');
    assert.deepEqual(statuses, [false]);
    assert.equal(store.stats().connected, false);
  } finally {
    await store.close();
  }
});

test('the factory reports a Redis outage once as a system event with its code', async () => {
  const { createCounterStore } = await import('../../src/behaviour/counter-store-factory.ts');
  const { EventBus } = await import('../../src/events/bus.ts');
  const events = new EventBus();
  const seen: string[] = [];
  events.subscribe((e) => {
    if (e.type === 'system') seen.push(`${e.level} ${e.code}`);
  });
  const clock = new ManualClock();
  const store = createCounterStore(
    { kind: 'redis', redisUrl: 'redis://127.0.0.1:1', redisPrefix: 'pctest:' },
    { clock, events },
  );
  await store.sync();
  await store.sync();
  await store.close();
  assert.deepEqual(seen, ['warn PC_ERR_BEHAVIOUR_COUNTERS_UNREACHABLE']);
  const embedded = createCounterStore({ kind: 'embedded', redisUrl: '', redisPrefix: '' }, { clock, events });
  assert.equal(embedded.kind, 'memory');
});
