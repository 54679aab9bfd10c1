import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
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

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  bodyLength: number;
  bodySha256: string;
}

describe('forwarding fidelity through the real CLI', () => {
  for (const method of ['GET', 'DELETE', 'OPTIONS']) {
    test(`${method} reaches the upstream with its path and query intact`, async () => {
      const res = await fetch(`${gw.url}/echo/a%2Fb/c?x=1&y=%C3%A9&x=2`, { method });
      assert.equal(res.status, 200);
      const echo = (await res.json()) as Echo;
      assert.equal(echo.method, method);
      assert.equal(echo.url, '/echo/a%2Fb/c?x=1&y=%C3%A9&x=2');
    });
  }

  for (const method of ['POST', 'PUT', 'PATCH']) {
    test(`${method} bodies arrive byte for byte`, async () => {
      const body = randomBytes(200_000);
      const res = await fetch(`${gw.url}/echo`, {
        method,
        body,
        headers: { 'content-type': 'application/octet-stream' },
      });
      const echo = (await res.json()) as Echo;
      assert.equal(echo.bodyLength, body.length);
      assert.equal(echo.bodySha256, createHash('sha256').update(body).digest('hex'));
    });
  }

  test('HEAD answers carry headers and no body', async () => {
    const res = await fetch(`${gw.url}/bytes/1000`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '1000');
    assert.equal((await res.arrayBuffer()).byteLength, 0);
  });

  for (const code of [201, 204, 304, 404, 418, 500, 503]) {
    test(`upstream status ${code} is passed through unchanged`, async () => {
      const res = await fetch(`${gw.url}/status/${code}`, { redirect: 'manual' });
      assert.equal(res.status, code);
      assert.equal(res.headers.get('x-upstream'), 'yes');
      await res.arrayBuffer();
    });
  }

  test('hop-by-hop headers are dropped both ways and X-Forwarded-* appended', async () => {
    const res = await new Promise<{ headers: Record<string, string | string[] | undefined>; body: string }>(
      (resolve, reject) => {
        const req = request(`${gw.url}/echo`, {
          headers: {
            connection: 'keep-alive, x-drop-me',
            'x-drop-me': 'secret hop',
            'keep-alive': 'timeout=3',
            te: 'trailers',
            'proxy-authorization': 'Basic Zm9vOmJhcg==',
            'x-forwarded-for': '198.51.100.9',
            'x-forwarded-proto': 'https',
            'x-custom': 'kept',
            host: 'shop.example',
          },
        });
        req.on('response', (r) => {
          let body = '';
          r.on('data', (d: Buffer) => (body += d.toString()));
          r.on('end', () => resolve({ headers: r.headers, body }));
        });
        req.on('error', reject);
        req.end();
      },
    );
    const echo = JSON.parse(res.body) as Echo;
    assert.equal(echo.headers['x-drop-me'], undefined);
    assert.equal(echo.headers['proxy-authorization'], undefined);
    assert.equal(echo.headers.te, undefined);
    assert.equal(echo.headers['x-custom'], 'kept');
    assert.equal(echo.headers['x-forwarded-for'], '198.51.100.9, 127.0.0.1');
    // The client is not a trusted proxy, so its claim to have come over TLS is replaced.
    assert.equal(echo.headers['x-forwarded-proto'], 'http');
    assert.equal(echo.headers['x-forwarded-host'], 'shop.example');
    assert.equal(res.headers['x-upstream-hop'], undefined);
    assert.deepEqual(res.headers['set-cookie'], ['a=1; Path=/', 'b=2; Path=/']);
  });

  test('response bodies stream: the first chunk arrives long before the last', async () => {
    const started = Date.now();
    const res = await fetch(`${gw.url}/stream`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    const firstAt = Date.now() - started;
    let text = new TextDecoder().decode(first.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const lastAt = Date.now() - started;
    assert.match(text, /chunk 0\n[\s\S]*chunk 4\n/);
    assert.ok(lastAt - firstAt >= 300, `first chunk at ${firstAt} ms, last at ${lastAt} ms: the response was buffered`);
  });

  test('chunked uploads of unknown length are streamed to the upstream', async () => {
    const parts = Array.from({ length: 20 }, () => randomBytes(10_000));
    const expected = createHash('sha256').update(Buffer.concat(parts)).digest('hex');
    const echo = await new Promise<Echo>((resolve, reject) => {
      const req = request(`${gw.url}/echo`, {
        method: 'POST',
        headers: { 'transfer-encoding': 'chunked', 'content-type': 'application/octet-stream' },
      });
      req.on('response', (r) => {
        let body = '';
        r.on('data', (d: Buffer) => (body += d.toString()));
        r.on('end', () => resolve(JSON.parse(body) as Echo));
      });
      req.on('error', reject);
      for (const p of parts) req.write(p);
      req.end();
    });
    assert.equal(echo.bodyLength, 200_000);
    assert.equal(echo.bodySha256, expected);
  });

  test('large responses arrive complete', async () => {
    const res = await fetch(`${gw.url}/bytes/5000000`);
    assert.equal((await res.arrayBuffer()).byteLength, 5_000_000);
  });

  test('WebSocket upgrades are passed through in both directions', async () => {
    const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/socket`);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('hello'));
      ws.on('message', (data) => resolve(data.toString()));
      ws.on('error', reject);
    });
    assert.equal(reply, 'echo:hello');
    ws.close();
  });

  test('a client that half-closes after sending its request still gets the answer', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(gw.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.end('GET /echo/half-close HTTP/1.1\r\nhost: x\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 200 /);
    assert.match(answer, /"url":"\/echo\/half-close"/);
  });

  test('connections are kept alive on both sides', async () => {
    const { Agent, request: undiciRequest } = await import('undici');
    const client = new Agent({ connections: 1 });
    const before = upstream.connections();
    try {
      for (let i = 0; i < 50; i++) {
        const res = await undiciRequest(`${gw.url}/echo/keepalive`, { dispatcher: client });
        await res.body.arrayBuffer();
      }
    } finally {
      await client.close();
    }
    assert.ok(
      upstream.connections() - before <= 2,
      `${upstream.connections() - before} upstream connections for 50 requests`,
    );
  });

  test('every forwarded request gets one access record', async () => {
    const res = await fetch(`${gw.url}/echo/access-log-probe`);
    await res.arrayBuffer();
    const { eventually } = await import('../helpers/cli.ts');
    const record = await eventually(() => gw.logs().find((l) => l.path === '/echo/access-log-probe'));
    assert.equal(record.status, 200);
    assert.ok(['allow', 'watch'].includes(String(record.action)));
    assert.equal(record.ip, '127.0.0.1');
    assert.equal(typeof record.incident, 'string');
    assert.equal(typeof record.latencyMs, 'number');
  });
});
