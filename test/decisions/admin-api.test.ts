import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness({ importMaxBytes: 64 * 1024 });
});
after(() => h.close());

async function api(method: 'GET' | 'POST' | 'DELETE', path: string, body?: string | object, headers = {}) {
  const res = await request(`${h.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${h.token}`,
      ...(typeof body === 'object' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read ad-hoc JSON fields
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, json, text, headers: res.headers };
}

describe('decisions admin API v1', () => {
  test('a request without the token is refused', async () => {
    const res = await request(`${h.url}/api/v1/decisions`);
    assert.equal(res.statusCode, 401);
    await res.body.text();
  });

  test('create, read, explain and delete one decision, each change in the audit log with who and why', async () => {
    const created = await api(
      'POST',
      '/api/v1/decisions',
      { value: '198.51.100.7', ttl: '1h', reason: 'stuffing' },
      {
        'x-portcullis-actor': 'alice',
      },
    );
    assert.equal(created.status, 201);
    assert.match(created.json.createdBy, /^admin-token@127\.0\.0\.1:alice$/);
    const got = await api('GET', `/api/v1/decisions/${created.json.id}`);
    assert.equal(got.json.value, '198.51.100.7');
    assert.match(got.json.explanation, /block ip 198\.51\.100\.7/);
    const ex = await api('GET', '/api/v1/explain?ip=198.51.100.7');
    assert.equal(ex.json.verdict.decisionId, created.json.id);
    const del = await api('DELETE', `/api/v1/decisions/${created.json.id}?why=false%20positive`);
    assert.equal(del.status, 200);
    const audit = await api('GET', '/api/v1/audit?limit=2');
    assert.deepEqual(
      audit.json.items.map((a: { op: string }) => a.op),
      ['remove', 'add'],
    );
    assert.equal(audit.json.items[0].detail.reason, 'false positive');
    assert.equal((await api('GET', `/api/v1/decisions/${created.json.id}`)).status, 404);
  });

  test('malformed input gets a problem object with a code and a detail that says what to fix', async () => {
    const r = await api('POST', '/api/v1/decisions', { value: '10.0.0.0/99' });
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'PC_ERR_DECISIONS_INVALID');
    assert.match(r.json.detail, /prefix/);
    assert.equal((await api('GET', '/api/v1/decisions?kind=nope')).json.code, 'PC_ERR_ADMIN_BAD_REQUEST');
    assert.equal((await api('POST', '/api/v1/decisions/import?format=xml', 'x')).status, 415);
  });

  test('a text import reports accepted and rejected lines and the gate blocks the imported ranges', async () => {
    const r = await api(
      'POST',
      '/api/v1/decisions/import?format=text&name=feed1',
      '# feed\n10.0.0.0/8\nbad\n2001:db8::1\n',
      {
        'content-type': 'text/plain',
      },
    );
    assert.equal(r.status, 200);
    assert.deepEqual([r.json.accepted, r.json.rejected, r.json.errors[0].line], [2, 1, 3]);
    assert.equal(h.service.gate.lookup(['ip:10.2.3.4'])?.action, 'block');
    const s = await api('GET', '/api/v1/decisions?source=import:feed1&contains=10.2.3.4');
    assert.equal(s.json.items.length, 1);
  });

  test('an upload declared larger than the limit is refused before it is read', async () => {
    const r = await api('POST', '/api/v1/decisions/import', 'x', { 'content-length': String(2 * 1024 ** 3) }).catch(
      (e: Error) => ({ status: 0, json: undefined, error: e }),
    );
    // undici refuses to send a body shorter than its declared length, so ask with a raw socket instead.
    assert.ok(r.status === 413 || r.status === 0);
    const { connect } = await import('node:net');
    const port = Number(new URL(h.url).port);
    const answer = await new Promise<string>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.write(
          `POST /api/v1/decisions/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${h.token}\r\nContent-Type: text/plain\r\nContent-Length: ${2 * 1024 ** 3}\r\n\r\n1.2.3.4\n`,
        );
      });
      let buf = '';
      sock.on('data', (c) => {
        buf += c;
        if (buf.includes('\r\n\r\n') && buf.includes('}')) {
          sock.destroy();
          resolve(buf);
        }
      });
    });
    assert.match(answer, /^HTTP\/1\.1 413/);
    assert.match(answer, /PC_ERR_DECISIONS_IMPORT_TOO_LARGE/);
  });

  test('a chunked upload that grows past the limit is cut off with a 413 and a report', async () => {
    const big = '1.2.3.4\n'.repeat(10_000); // 80 kB > 64 kB limit, sent without Content-Length
    const res = await request(`${h.url}/api/v1/decisions/import?format=text`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}` },
      body: Readable.from([big]),
    });
    const json = (await res.body.json()) as { code: string; report: { refused: string } };
    assert.equal(res.statusCode, 413);
    assert.equal(json.code, 'PC_ERR_DECISIONS_IMPORT_TOO_LARGE');
    assert.match(json.report.refused, /larger than/);
  });

  test('bulk delete needs a dry-run count and then exactly that count to confirm', async () => {
    await api('POST', '/api/v1/decisions/import?format=text&name=bulk', '5.5.5.1\n5.5.5.2\n5.5.5.3\n');
    const dry = await api('DELETE', '/api/v1/decisions?source=import:bulk&dryRun=true');
    assert.equal(dry.json?.count, 3, `${dry.status} ${dry.text}`);
    const wrong = await api('DELETE', '/api/v1/decisions?source=import:bulk&confirm=2');
    assert.equal(wrong.status, 409);
    const done = await api('DELETE', '/api/v1/decisions?source=import:bulk&confirm=3&why=feed%20retired');
    assert.equal(done.json?.removed, 3, `${done.status} ${done.text}`);
    assert.equal(h.service.gate.lookup(['ip:5.5.5.2']), undefined);
  });

  test('exports come back as nftables and ipset files', async () => {
    await api('POST', '/api/v1/decisions', { value: '192.0.2.0/24' });
    const nft = await api('GET', '/api/v1/decisions/export?format=nftables&value=192.0.2.0/24');
    assert.match(nft.text, /table inet portcullis \{[\s\S]*192\.0\.2\.0\/24/);
    const ipset = await api('GET', '/api/v1/decisions/export?format=ipset&kind=cidr&name=edge');
    assert.match(ipset.text, /create edge-v4 hash:net family inet/);
    assert.match(ipset.text, /add edge-v4 192\.0\.2\.0\/24 -exist/);
  });
});
