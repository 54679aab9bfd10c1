import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, startCliGateway } from '../helpers/cli.ts';
import { startTestUpstream } from '../helpers/upstream.ts';

async function loggedIp(gw: Awaited<ReturnType<typeof startCliGateway>>, path: string, xff?: string): Promise<unknown> {
  await (
    await fetch(`${gw.url}${path}`, { headers: xff === undefined ? {} : { 'x-forwarded-for': xff } })
  ).arrayBuffer();
  const record = await eventually(() => gw.logs().find((l) => l.path === path));
  return record.ip;
}

test('without --trust-proxy the socket peer is the client, whatever X-Forwarded-For says', async () => {
  const upstream = await startTestUpstream();
  const gw = await startCliGateway(['--upstream', upstream.url]);
  try {
    assert.equal(await loggedIp(gw, '/untrusted', '203.0.113.50'), '127.0.0.1');
  } finally {
    await gw.stop();
    await upstream.close();
  }
});

test('with --trust-proxy the right-most untrusted forwarded address is the client', async () => {
  const upstream = await startTestUpstream();
  const gw = await startCliGateway(['--upstream', upstream.url, '--trust-proxy', '127.0.0.0/8,10.0.0.0/8']);
  try {
    assert.equal(await loggedIp(gw, '/trusted-chain', '198.51.100.1, 203.0.113.50, 10.1.2.3'), '203.0.113.50');
    assert.equal(await loggedIp(gw, '/trusted-none'), '127.0.0.1');
    assert.equal(await loggedIp(gw, '/trusted-garbage', 'not-an-ip'), '127.0.0.1');
    const seen = upstream.seen.find((r) => r.url === '/trusted-chain')!;
    assert.equal(seen.headers['x-forwarded-for'], '198.51.100.1, 203.0.113.50, 10.1.2.3, 127.0.0.1');
  } finally {
    await gw.stop();
    await upstream.close();
  }
});
