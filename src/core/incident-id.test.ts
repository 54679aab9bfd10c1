import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newIncidentId } from './incident-id.ts';

test('incident ids are 20 base32 characters, distinct, and sort by time', () => {
  const ids = Array.from({ length: 2_000 }, (_, i) => newIncidentId(1_700_000_000_000 + i * 7));
  for (const id of ids) assert.match(id, /^[0-9a-hjkmnp-tv-z]{20}$/);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), ids);
  // The first ten characters are the time: the same millisecond shares them, the random part differs.
  const [a, b] = [newIncidentId(42), newIncidentId(42)];
  assert.equal(a.slice(0, 10), '000000001a');
  assert.equal(a.slice(0, 10), b.slice(0, 10));
  assert.notEqual(a, b);
});
