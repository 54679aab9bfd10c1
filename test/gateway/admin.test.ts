import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RunningGateway, startCliGateway } from '../helpers/cli.ts';
import { startTestUpstream, type TestUpstream } from '../helpers/upstream.ts';

let upstream: TestUpstream;
let gw: RunningGateway;
before(async () => {
  upstream = await startTestUpstream();
  gw = await startCliGateway(['--upstream', upstream.url]);
});
after(async () => {
  await gw.stop();
  await upstream.close();
});

describe('admin listener', () => {
  test('healthz answers without a token once the gateway is ready', async () => {
    const res = await fetch(`${gw.adminUrl}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  test('the admin API binds to loopback by default', () => {
    assert.match(gw.adminUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('API calls without a token, with a wrong one or another scheme get 401', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${gw.token}`, `Bearer ${gw.token}x`]) {
      const res = await fetch(`${gw.adminUrl}/api/v1/status`, { headers: authorization ? { authorization } : {} });
      assert.equal(res.status, 401, `authorization ${authorization}`);
      const body = (await res.json()) as { code: string };
      assert.equal(body.code, 'PC_ERR_ADMIN_AUTH');
    }
  });

  test('API calls with the token succeed', async () => {
    const res = await gw.admin('/api/v1/status');
    assert.equal(res.status, 200);
    const body = (await res.json()) as { mode: string };
    assert.equal(body.mode, 'enforce');
  });

  test('unknown routes get 404 with a hint and wrong methods 405', async () => {
    const res = await gw.admin('/api/v1/nope');
    assert.equal(res.status, 404);
    const wrong = await gw.admin('/api/v1/events', { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
  });

  test('metrics count requests by action and status and time the stages', async () => {
    await (await fetch(`${gw.url}/status/404`)).arrayBuffer();
    const text = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    assert.match(text, /portcullis_requests_total\{action="allow",status="404"\} [1-9]/);
    assert.match(text, /portcullis_upstream_latency_seconds_count [1-9]/);
    assert.match(text, /portcullis_stage_duration_seconds_count\{stage="forward"\} [1-9]/);
    assert.match(text, /portcullis_stage_duration_seconds_count\{stage="identify"\} [1-9]/);
  });

  test('events page with since, limit and cursor and reject bad parameters', async () => {
    for (let i = 0; i < 3; i++) await (await fetch(`${gw.url}/x`, { headers: { 'x-n': String(i) } })).arrayBuffer();
    const bad = await gw.admin('/api/v1/events?limit=0');
    assert.equal(bad.status, 400);
    const badSince = await gw.admin('/api/v1/events?since=yesterday');
    assert.equal(badSince.status, 400);
    const res = await gw.admin(`/api/v1/events?since=${Date.now() - 60_000}&limit=5`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { events: unknown[]; next: number | null };
    assert.ok(Array.isArray(body.events));
  });
});

test('a generated admin token is stored with mode 0600 and printed once', async () => {
  const upstream2 = await startTestUpstream();
  const first = await startCliGateway(['--upstream', upstream2.url], { env: { PORTCULLIS_ADMIN_TOKEN: '' } });
  try {
    const file = join(first.dataDir, 'admin-token');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const token = readFileSync(file, 'utf8').trim();
    assert.ok(first.stderr().includes(token), 'the new token is printed');
    const res = await fetch(`${first.adminUrl}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    await first.stop();
    const second = await startCliGateway(['--upstream', upstream2.url], {
      env: { PORTCULLIS_ADMIN_TOKEN: '' },
      dataDir: first.dataDir,
    });
    assert.ok(!second.stderr().includes(token), 'an existing token is not printed again');
    assert.equal(readFileSync(file, 'utf8').trim(), token);
    await second.stop();
  } finally {
    await first.stop();
    await upstream2.close();
  }
});
