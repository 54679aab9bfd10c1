import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ProtectedStack, startProtectedStack } from '../../src/sim/stack.ts';
import { send } from './http-client.ts';

// Thresholds at 0 challenge every request, so each interrogation can be driven end to end through the real
// gateway and demo API.
let stack: ProtectedStack;

before(async () => {
  stack = await startProtectedStack({
    behaviour: { policy: { watch: 0, challenge: 0, tarpit: 1000, block: 2000 }, challenge: { retryAfterSeconds: 1 } },
  });
});

after(async () => {
  await stack?.close();
});

const LOGIN = JSON.stringify({ username: 'nobody', password: 'x' });
const BROWSER = { accept: 'text/html,*/*', 'user-agent': 'Mozilla/5.0 test', 'content-type': 'application/json' };

test('a client that keeps cookies passes the cookie round-trip; the pass is bound to its address', async () => {
  const first = await send(`${stack.url}/api/login`, {
    method: 'POST',
    headers: BROWSER,
    body: LOGIN,
    from: '127.0.0.21',
  });
  assert.equal(first.status, 307);
  assert.equal(first.headers.location, '/api/login');
  const cookie = String(first.headers['set-cookie']).split(';')[0]!;
  assert.match(cookie, /^__pc_pass=v1\.c\./);
  assert.match(first.body, /Incident \w+/);

  const second = await send(`${stack.url}/api/login`, {
    method: 'POST',
    headers: { ...BROWSER, cookie },
    body: LOGIN,
    from: '127.0.0.21',
  });
  assert.equal(second.status, 401, 'the demo API answered: the challenge was passed');

  const stolen = await send(`${stack.url}/api/login`, {
    method: 'POST',
    headers: { ...BROWSER, cookie },
    body: LOGIN,
    from: '127.0.0.22',
  });
  assert.equal(stolen.status, 307, 'the same cookie from another address is challenged again');
});

test('the cookie redirect never points off-site', async () => {
  const r = await send(`${stack.url}//evil.example/x`, { headers: BROWSER, from: '127.0.0.23' });
  assert.equal(r.status, 307);
  assert.equal(r.headers.location, '/evil.example/x');
});

test('an API client gets 429 + Retry-After; retrying early is held against it, honouring it passes', async () => {
  const api = { accept: 'application/json', 'user-agent': 'partner-sdk/1.0' };
  const first = await send(`${stack.url}/api/products/1`, { headers: api, from: '127.0.0.31' });
  assert.equal(first.status, 429);
  assert.equal(first.headers['retry-after'], '1');
  assert.equal(JSON.parse(first.body).incident.length > 0, true);

  const early = await send(`${stack.url}/api/products/1`, { headers: api, from: '127.0.0.31' });
  assert.equal(early.status, 429);
  const risk = stack.engine.explain('ip:127.0.0.31');
  assert.deepEqual(
    risk.contributions.map((c) => c.ruleId).filter((id) => id.startsWith('behaviour.')),
    ['behaviour.retry-after-ignored'],
  );

  await new Promise((r) => setTimeout(r, 1100));
  const honoured = await send(`${stack.url}/api/products/1`, { headers: api, from: '127.0.0.31' });
  assert.equal(honoured.status, 200);
});
