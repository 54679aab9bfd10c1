import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { eventually, startCliGateway } from '../helpers/cli.ts';
import { startTestUpstream } from '../helpers/upstream.ts';

test('two gateways with store.kind redis share decisions: a block added on one refuses the client on the other', async () => {
  const prefix = `pctest:${randomBytes(4).toString('hex')}:`;
  const upstream = await startTestUpstream();
  const dir = mkdtempSync(join(tmpdir(), 'pc-cluster-'));
  const config = join(dir, 'portcullis.yaml');
  writeFileSync(config, `upstream: { url: "${upstream.url}" }\nstore: { kind: redis, redisPrefix: "${prefix}" }\n`);
  const args = ['--config', config, '--trust-proxy', '127.0.0.1/32', '--disable', 'behaviour'];
  const a = await startCliGateway(args);
  const b = await startCliGateway(args);
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    const client = { 'x-forwarded-for': '198.51.100.23' };
    assert.equal((await fetch(`${b.url}/echo`, { headers: client })).status, 200);
    const add = await a.admin('/api/v1/decisions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: '198.51.100.23', action: 'block', ttl: '1h', reason: 'cluster test' }),
    });
    assert.equal(add.status, 201);
    await eventually(async () => ((await fetch(`${b.url}/echo`, { headers: client })).status === 403 ? true : undefined), 5_000);
    // A third node started afterwards catches up before it serves.
    const c = await startCliGateway(args);
    try {
      assert.equal((await fetch(`${c.url}/echo`, { headers: client })).status, 403);
    } finally {
      await c.stop();
    }
  } finally {
    await a.stop();
    await b.stop();
    await upstream.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
});
