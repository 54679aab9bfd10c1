import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startCliGateway } from '../helpers/cli.ts';
import { startTestUpstream } from '../helpers/upstream.ts';

test('SIGTERM lets in-flight requests finish, refuses new ones, and exits 0', async () => {
  const upstream = await startTestUpstream();
  const gw = await startCliGateway(['--upstream', upstream.url]);
  try {
    const inFlight = fetch(`${gw.url}/slow/800`).then(async (r) => ({ status: r.status, body: await r.text() }));
    await new Promise((r) => setTimeout(r, 200));
    const exited = gw.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    await assert.rejects(fetch(`${gw.url}/echo`), 'a new connection during the drain is refused');
    assert.deepEqual(await inFlight, { status: 200, body: 'late' });
    assert.equal(await exited, 0);
  } finally {
    await gw.stop();
    await upstream.close();
  }
});
