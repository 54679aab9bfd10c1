import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventSampler } from './sampler.ts';

test('one event per client per interval, counted when suppressed', () => {
  const s = new EventSampler({ intervalMs: 1_000 });
  assert.equal(s.admit('a', 0), true);
  assert.equal(s.admit('a', 500), false);
  assert.equal(s.admit('b', 500), true);
  assert.equal(s.admit('a', 1_000), true);
  assert.equal(s.suppressed, 1);
});

test('the table never grows past its cap', () => {
  const s = new EventSampler({ intervalMs: 1_000, maxKeys: 3 });
  for (const k of ['a', 'b', 'c', 'd']) assert.equal(s.admit(k, 0), true);
  // 'a' was dropped when the table was cleared at 'd', so it is admitted again.
  assert.equal(s.admit('a', 1), true);
});
