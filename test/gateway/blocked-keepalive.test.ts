import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent, request } from 'undici';
import { startCliGateway } from '../helpers/cli.ts';
import { startTestUpstream } from '../helpers/upstream.ts';

test('a blocked request with a small body keeps its connection alive; a large unread body closes it', async () => {
  const upstream = await startTestUpstream();
  const gw = await startCliGateway([
    '--upstream',
    upstream.url,
    '--trust-proxy',
    '127.0.0.1/32',
    '--disable',
    'behaviour',
  ]);
  const client = new Agent({ connections: 1 });
  try {
    const add = await gw.admin('/api/v1/decisions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: '198.51.100.0/24', action: 'block', reason: 'test' }),
    });
    assert.equal(add.status, 201);
    const blockedPost = async (size: number) => {
      const res = await request(`${gw.url}/echo`, {
        method: 'POST',
        dispatcher: client,
        headers: { 'x-forwarded-for': '198.51.100.7', 'content-type': 'application/json' },
        body: Buffer.alloc(size, 'a'),
      });
      await res.body.arrayBuffer();
      return res;
    };
    const first = await blockedPost(2_000);
    assert.equal(first.statusCode, 403);
    assert.equal(first.headers.connection, 'keep-alive');
    const second = await blockedPost(2_000);
    assert.equal(second.statusCode, 403);
    assert.equal(second.headers.connection, 'keep-alive');
    const big = await blockedPost(1_000_000);
    assert.equal(big.statusCode, 403);
    assert.equal(big.headers.connection, 'close');
  } finally {
    await client.close();
    await gw.stop();
    await upstream.close();
  }
});
