import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ProtectedStack, startProtectedStack } from '../../src/sim/stack.ts';
import { send } from './http-client.ts';

// The shipped policy, enforce mode: what a customer's first requests meet (Retry-After shortened to 1 s).
let stack: ProtectedStack;

before(async () => {
  stack = await startProtectedStack({ behaviour: { challenge: { retryAfterSeconds: 1 } } });
});

after(async () => {
  await stack?.close();
});

const API = { accept: 'application/json', 'user-agent': 'support-portal/2.1', 'content-type': 'application/json' };

const TICKET = JSON.stringify({
  title: 'The health check hangs',
  body: 'I tried this:\n\n```sh\ncurl -H "Accept: application/json" https://api.example.com/v1/health\n```\n\nand it never answers. `ls -la ~/projects` shows the config is there.',
});

test('a support ticket quoting shell commands in Markdown code is served; posting it again is never refused', async () => {
  // Before: three cmdi rules on the one snippet added 45 + 45 + 4 risk, past the block threshold (80), so the
  // first post was answered 403 and the customer kept out for 10 minutes. Now the snippet is one piece of medium
  // evidence: the first post is served, and repeats build risk towards a challenge (a browser's fetch follows the
  // cookie round-trip, an API client honours Retry-After), never a block.
  // A well-behaved API client: on 429 it waits the Retry-After it was given and sends again.
  const post = async () => {
    for (;;) {
      const r = await send(`${stack.url}/api/echo`, { method: 'POST', headers: API, body: TICKET, from: '127.0.0.31' });
      if (r.status !== 429) return r;
      await new Promise((done) => setTimeout(done, Number(r.headers['retry-after']) * 1000 + 100));
    }
  };
  const first = await post();
  assert.equal(first.status, 200, first.body.slice(0, 200));
  for (let i = 2; i <= 4; i++) {
    const r = await post();
    assert.equal(r.status, 200, `post ${i}: ${r.body.slice(0, 200)}`);
  }
});

test('quoted code and rich text posted again and again never challenge: weak evidence is capped below the line', async () => {
  // Before `risk.weakCap`: each post added a medium (20) under the same rule, stacking to 60; the second post
  // reached the challenge line (40) and a client that retried at once was blocked for ignoring Retry-After.
  const html = JSON.stringify({
    title: 'Release notes',
    body: '<h2>What changed</h2><p>See <a href="https://example.com/docs">the docs</a> and <img src="https://cdn.example.com/a.png" alt="chart"></p>',
  });
  for (const [from, body] of [
    ['127.0.0.36', TICKET],
    ['127.0.0.37', html],
  ] as const) {
    for (let i = 1; i <= 6; i++) {
      const r = await send(`${stack.url}/api/echo`, { method: 'POST', headers: API, body, from });
      assert.equal(r.status, 200, `${from} post ${i}: ${r.body.slice(0, 200)}`);
    }
    const risk = await fetch(`${stack.adminUrl}/api/v1/risk/ip:${from}`, {
      headers: { authorization: `Bearer ${stack.adminToken}` },
    }).then((r) => r.json() as Promise<{ risk: number; weakCapped?: number; contributions: { weak?: true }[] }>);
    assert.ok(risk.risk > 0 && risk.risk <= 30, `${from}: risk ${risk.risk} is recorded, and capped`);
    assert.ok(risk.contributions.every((c) => c.weak === true), JSON.stringify(risk));
  }
});

test('capped weak evidence still adds to a high finding', async () => {
  const from = '127.0.0.38';
  for (let i = 0; i < 3; i++) await send(`${stack.url}/api/echo`, { method: 'POST', headers: API, body: TICKET, from });
  // `$_SERVER['DOCUMENT_ROOT']` alone is php.superglobal, high (45): with the capped 30 it is past tarpit (65).
  const probe = JSON.stringify({ title: 'x', body: "$_SERVER['DOCUMENT_ROOT']" });
  await send(`${stack.url}/api/echo`, { method: 'POST', headers: API, body: probe, from });
  const events = await fetch(`${stack.adminUrl}/api/v1/events?limit=200`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  }).then((r) => r.json() as Promise<{ events: { clientIp: string; action?: string; risk?: number }[] }>);
  const last = events.events.filter((e) => e.clientIp === from).at(-1);
  assert.equal(last?.action, 'tarpit', JSON.stringify(last));
  assert.ok((last?.risk ?? 0) >= 65 && (last?.risk ?? 0) < 80, JSON.stringify(last));
});

test('the same command as a bare injection is still blocked on the first request', async () => {
  const attack = JSON.stringify({ title: 'x', body: '; cat /etc/passwd' });
  const r = await send(`${stack.url}/api/echo`, { method: 'POST', headers: API, body: attack, from: '127.0.0.32' });
  assert.equal(r.status, 403);
  const bare = JSON.stringify({ title: 'x', body: '`uname -a`' });
  const s = await send(`${stack.url}/api/echo`, { method: 'POST', headers: API, body: bare, from: '127.0.0.34' });
  assert.equal(s.status, 403, 'a value that is only a code span is the command-substitution payload itself');
});

test('uploads named like people name files are served; a name that splits parsers is not', async () => {
  const upload = (fieldName: string, fileName: string) =>
    [
      '--b0undary',
      `Content-Disposition: form-data; name="${fieldName}"; filename="${fileName}"`,
      'Content-Type: application/pdf',
      '',
      '%PDF-1.4 quarterly figures',
      '--b0undary--',
      '',
    ].join('\r\n');
  const headers = { ...API, 'content-type': 'multipart/form-data; boundary=b0undary' };
  // Before: `'`, `&` and `%` in a file name, or the `;` of a character reference a browser wrote for a
  // character outside the form's encoding, were a high multipart anomaly: the uploader was challenged.
  const ok = await send(`${stack.url}/api/echo`, {
    method: 'POST',
    headers,
    body: upload('r&eacute;sum&#233;', "O'Brien & Sons - 50% off.pdf"),
    from: '127.0.0.33',
  });
  assert.equal(ok.status, 200, ok.body.slice(0, 200));
  const events = await fetch(`${stack.adminUrl}/api/v1/events?limit=50`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  }).then((r) => r.json() as Promise<{ events: { findings?: { ruleId: string; fragment?: string }[] }[] }>);
  const flagged = events.events.flatMap((e) => e.findings ?? []).filter((f) => f.ruleId === 'protocol.multipart-anomaly');
  assert.deepEqual(flagged, [], 'no multipart anomaly for ordinary names');

  const split = await send(`${stack.url}/api/echo`, {
    method: 'POST',
    headers,
    body: upload('file', 'shell.php;.pdf'),
    from: '127.0.0.35',
  });
  assert.notEqual(split.status, 200, 'IIS reads shell.php;.pdf as shell.php: an anomaly worth interrogating');
});
