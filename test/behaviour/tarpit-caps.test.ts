import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ProtectedStack, startProtectedStack } from '../../src/sim/stack.ts';
import { send } from './http-client.ts';

// Every request is tarpitted (tarpit threshold 0) into a pit that holds two: the rest must be blocked at once
// rather than queued, so tarpitting can never exhaust the gateway.
let stack: ProtectedStack;

before(async () => {
  stack = await startProtectedStack({
    behaviour: {
      policy: { watch: 0, challenge: 0, tarpit: 0, block: 1000 },
      tarpit: { maxHeld: 2, maxHeldPerIp: 10, minDelayMs: 700, maxDelayMs: 700 },
    },
  });
});

after(async () => {
  await stack?.close();
});

test('past the tarpit cap requests are blocked immediately, held ones are delayed then served', async () => {
  const results = await Promise.all(
    [41, 42, 43, 44].map((n) => send(`${stack.url}/api/products/1`, { from: `127.0.0.${n}` })),
  );
  const served = results.filter((r) => r.status === 200);
  const blocked = results.filter((r) => r.status === 403);
  assert.equal(served.length, 2);
  assert.equal(blocked.length, 2);
  for (const r of served) assert.ok(r.ms >= 650, `held ${r.ms} ms`);
  for (const r of blocked) assert.ok(r.ms < 650, `blocked after ${r.ms} ms`);
  const stats = stack.engine.stats();
  assert.deepEqual([stats.tarpit.held, stats.tarpit.refused], [0, 2]);
});
