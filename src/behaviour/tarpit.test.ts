import assert from 'node:assert/strict';
import { test } from 'node:test';
import { behaviourConfigSchema } from './config.ts';
import { Tarpit } from './tarpit.ts';

const caps = (over: Record<string, number>) => behaviourConfigSchema.parse({ tarpit: over }).tarpit;

test('past the global cap the pit refuses instead of holding', async () => {
  const pit = new Tarpit(caps({ maxHeld: 2, maxHeldPerIp: 10, maxDelayMs: 30 }));
  const held = [pit.hold('192.0.2.1', 100, 30), pit.hold('192.0.2.2', 100, 30)];
  assert.equal(await pit.hold('192.0.2.3', 100, 30), false);
  assert.deepEqual(await Promise.all(held), [true, true]);
  assert.equal(pit.stats().held, 0);
  assert.equal(pit.stats().refused, 1);
});

test('one address cannot fill the pit alone, and bytes are capped too', async () => {
  const pit = new Tarpit(caps({ maxHeld: 100, maxHeldPerIp: 1, maxHeldBytes: 1000, maxDelayMs: 20 }));
  const first = pit.hold('192.0.2.1', 10, 20);
  assert.equal(await pit.hold('192.0.2.1', 10, 20), false);
  assert.equal(await pit.hold('192.0.2.2', 2000, 20), false);
  assert.equal(await first, true);
});

test('no request is held longer than maxDelayMs, and an aborted client is released at once', async () => {
  const pit = new Tarpit(caps({ maxDelayMs: 30 }));
  let started = performance.now();
  await pit.hold('192.0.2.1', 0, 60_000);
  assert.ok(performance.now() - started < 1000);
  const abort = new AbortController();
  started = performance.now();
  const held = pit.hold('192.0.2.1', 0, 30);
  abort.abort();
  await held;
  assert.equal(pit.stats().held, 0);
});

test('the delay grows linearly with risk between the tarpit and block thresholds', () => {
  const pit = new Tarpit(caps({ minDelayMs: 1000, maxDelayMs: 5000 }));
  assert.deepEqual(
    [60, 65, 72.5, 80, 95].map((r) => pit.delayFor(r, 65, 80)),
    [1000, 1000, 3000, 5000, 5000],
  );
});
