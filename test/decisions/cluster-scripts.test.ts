import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import { ADD_SCRIPT, DEL_SCRIPT, EXPIRE_SCRIPT, PRUNE_SCRIPT } from '../../src/decisions/cluster-scripts.ts';
import { dropPrefix, REDIS_URL, uniquePrefix } from './fixtures.ts';

/** The Lua that keeps the shared set consistent (src/decisions/cluster-scripts.ts), against a real Redis. */
const prefix = uniquePrefix();
const set = `${prefix}decisions:set`;
const stream = `${prefix}decisions:changes`;
const expiry = `${prefix}decisions:expiry`;
const r = new Redis(REDIS_URL);
after(async () => {
  await dropPrefix(prefix);
  r.disconnect();
});

const add = (field: string, w: object) =>
  r.eval(ADD_SCRIPT, 3, set, stream, expiry, 'n1', 1000, field, JSON.stringify(w));
const entry = (g: string, t: number, e?: number) => ({
  g,
  k: 'ip',
  v: '192.0.2.1',
  a: 'block',
  r: 'x',
  s: 'manual',
  b: 'x',
  t,
  ...(e === undefined ? {} : { e }),
});
const F = 'block ip:192.0.2.1';

test('the later of two writes on one target wins in the shared set, whatever order they arrive in', async () => {
  assert.equal(await add(F, entry('n2-5', 2000)), 1);
  assert.equal(await add(F, entry('n1-9', 1000)), 0, 'an older write is dropped and not streamed');
  assert.equal(await add(F, entry('n2-5', 2000)), 0, 'the same version again is a no-op');
  assert.equal((JSON.parse((await r.hget(set, F))!) as { g: string }).g, 'n2-5');
  assert.equal(await r.xlen(stream), 1);
});

test('a removal only takes out the version it names, and is streamed either way', async () => {
  await r.eval(DEL_SCRIPT, 2, set, stream, 'n1', 1000, F, 'n1-9', '{}');
  assert.equal(await r.hexists(set, F), 1);
  await r.eval(DEL_SCRIPT, 2, set, stream, 'n1', 1000, F, 'n2-5', '{}');
  assert.equal(await r.hexists(set, F), 0);
  assert.equal(await r.xlen(stream), 3);
});

test('expired entries leave the shared set, a newer version of the same target stays', async () => {
  await add(F, entry('n1-10', 3000, 5000));
  await add('block ip:192.0.2.2', { ...entry('n1-11', 3000, 5000), v: '192.0.2.2' });
  await add('block ip:192.0.2.2', { ...entry('n1-12', 4000), v: '192.0.2.2' });
  assert.equal(await r.eval(EXPIRE_SCRIPT, 2, set, expiry, 4999, 100), 0);
  assert.equal(await r.eval(EXPIRE_SCRIPT, 2, set, expiry, 5000, 100), 2);
  assert.equal(await r.hexists(set, F), 0);
  assert.equal(await r.hexists(set, 'block ip:192.0.2.2'), 1);
  assert.equal(await r.zcard(expiry), 0);
});

test('a refresh under the same cluster id survives a late removal and the old expiry of the version it replaced', async () => {
  const G = 'block ip:192.0.2.9';
  const v = (t: number, e?: number) => ({ ...entry('n1-20', t, e), v: '192.0.2.9' });
  await add(G, v(6000, 9000));
  assert.equal(await add(G, v(7000)), 1, 'the refresh (same id, later createdAt, no expiry) wins');
  await r.eval(DEL_SCRIPT, 2, set, stream, 'n1', 1000, G, 'n1-20', JSON.stringify({ g: 'n1-20', t: 6000 }));
  assert.equal(await r.hexists(set, G), 1, 'a removal of the older version leaves the refresh');
  await r.eval(EXPIRE_SCRIPT, 2, set, expiry, 9000, 100);
  assert.equal((JSON.parse((await r.hget(set, G))!) as { t: number }).t, 7000, 'the old expiry no longer applies');
  await add(G, v(8000, 12_000));
  assert.equal(await r.eval(EXPIRE_SCRIPT, 2, set, expiry, 11_999, 100), 0);
  await r.eval(EXPIRE_SCRIPT, 2, set, expiry, 12_000, 100);
  assert.equal(await r.hexists(set, G), 0, 'the refresh expires at its own time');
  await add(G, v(9000));
  await r.eval(DEL_SCRIPT, 2, set, stream, 'n1', 1000, G, 'n1-20', JSON.stringify({ g: 'n1-20', t: 9000 }));
  assert.equal(await r.hexists(set, G), 0, 'a removal naming the current version takes it out');
});

test('a snapshot prune of an expired version leaves a refresh pushed under the same cluster id meanwhile', async () => {
  // The snapshot saw the expired version (t 6000, e 7000), then pushed its own refresh (same id, t 8000), then prunes.
  const G = 'block ip:192.0.2.10';
  const v = (t: number, e?: number) => ({ ...entry('n1-21', t, e), v: '192.0.2.10' });
  await add(G, v(6000, 7000));
  await add(G, v(8000));
  assert.equal(await r.eval(PRUNE_SCRIPT, 1, set, G, 'n1-21', '6000'), 0);
  assert.equal((JSON.parse((await r.hget(set, G))!) as { t: number }).t, 8000, 'the refresh stays');
  assert.equal(await r.eval(PRUNE_SCRIPT, 1, set, G, 'n1-21', '8000'), 1, 'naming the version held prunes it');
  assert.equal(await r.hexists(set, G), 0);
});
