import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { HEAP_RELEASE_ROWS, releaseHeapAfterBulk } from './heap-release.ts';

const oldSpaceBytes = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_size;

test('a small bulk change is left to V8', () => {
  assert.equal(releaseHeapAfterBulk(HEAP_RELEASE_ROWS - 1), undefined);
});

test('after a bulk change the old space it filled with garbage is given back, and no gc global appears', async () => {
  // Objects that outlive a few scavenges are promoted to the old space, as an import's staged rows are.
  let rows: { value: string; n: number[] }[] | undefined = [];
  for (let i = 0; i < 1_500_000; i++) {
    rows.push({ value: `203.0.${i & 255}.${i >>> 8}`, n: [i] });
    if ((i & 0xffff) === 0) await new Promise((r) => setImmediate(r));
  }
  const filled = oldSpaceBytes();
  assert.ok(rows.length > 0);
  rows = undefined;
  const pausedMs = releaseHeapAfterBulk(HEAP_RELEASE_ROWS);
  assert.ok(pausedMs !== undefined && pausedMs >= 0);
  const after = oldSpaceBytes();
  assert.ok(after < filled / 2, `old space ${filled} → ${after} bytes`);
  assert.equal((globalThis as { gc?: unknown }).gc, undefined);
});
