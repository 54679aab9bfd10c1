import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, startCliGateway } from '../helpers/cli.ts';
import { startTestUpstream } from '../helpers/upstream.ts';

test('SIGTERM lets in-flight requests finish, refuses new ones, and exits 0', async () => {
  const upstream = await startTestUpstream();
  const gw = await startCliGateway(['--upstream', upstream.url]);
  try {
    // Long enough to watch the drain while it is in flight, even on a loaded machine; the steps below wait for
    // events, not for fixed delays.
    const inFlight = fetch(`${gw.url}/slow/2500`).then(async (r) => ({ status: r.status, body: await r.text() }));
    await eventually(() => upstream.seen.find((r) => r.url === '/slow/2500'));
    const exited = gw.stop('SIGTERM');
    await eventually(async () => {
      try {
        await fetch(`${gw.url}/echo`);
        return undefined; // not draining yet
      } catch {
        return true; // a new connection during the drain is refused
      }
    }, 2_000);
    assert.deepEqual(await inFlight, { status: 200, body: 'late' });
    assert.equal(await exited, 0);
  } finally {
    await gw.stop();
    await upstream.close();
  }
});
