import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RunningGateway, startCliGateway } from '../helpers/cli.ts';
import { startTestUpstream, type TestUpstream } from '../helpers/upstream.ts';

/** Sends raw bytes and returns everything the gateway answers until it closes (or `waitMs` passes). */
function raw(url: string, chunks: Array<string | Buffer>, waitMs = 3_000, gapMs = 0): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, waitMs);
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code === 'ECONNRESET') resolve(answer);
      else reject(e);
    });
    socket.on('connect', async () => {
      for (const c of chunks) {
        if (socket.destroyed) break;
        socket.write(c);
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

let upstream: TestUpstream;
let gw: RunningGateway;

before(async () => {
  upstream = await startTestUpstream();
  const dir = mkdtempSync(join(tmpdir(), 'pc-limits-'));
  const config = join(dir, 'portcullis.yaml');
  writeFileSync(
    config,
    [
      `upstream: { url: "${upstream.url}" }`,
      'limits:',
      '  maxBodyBytes: 100000',
      '  maxHeaderBytes: 4096',
      '  headersTimeoutMs: 600',
      '  requestTimeoutMs: 5000',
      '  maxConnectionsPerIp: 20',
    ].join('\n'),
  );
  gw = await startCliGateway(['--config', config], { dataDir: dir });
});
after(async () => {
  await gw.stop();
  await upstream.close();
});

describe('request limits', () => {
  test('a declared body over the limit gets 413 before any of it is forwarded', async () => {
    const before = upstream.seen.length;
    const res = await fetch(`${gw.url}/echo`, { method: 'POST', body: Buffer.alloc(150_000) });
    assert.equal(res.status, 413);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(upstream.seen.length, before);
  });

  test('a chunked body that grows past the limit gets 413', async () => {
    const chunk = Buffer.alloc(30_000, 'x');
    const head = 'POST /echo HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n';
    const body = Array.from({ length: 5 }, () => `${chunk.length.toString(16)}\r\n${chunk.toString()}\r\n`);
    const answer = await raw(gw.url, [head, ...body, '0\r\n\r\n']);
    assert.match(answer, /^HTTP\/1\.1 413 /);
  });

  test('a body within the limit is forwarded', async () => {
    const res = await fetch(`${gw.url}/echo`, { method: 'POST', body: Buffer.alloc(90_000) });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { bodyLength: number }).bodyLength, 90_000);
  });

  test('headers over the size limit get 431', async () => {
    const answer = await raw(gw.url, [`GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(8_000)}\r\n\r\n`]);
    assert.match(answer, /^HTTP\/1\.1 431 /);
  });

  test('malformed HTTP gets 400 and the gateway keeps serving', async () => {
    const answer = await raw(gw.url, ['GET / HTTP/1.1\r\nhost: x\r\nbad header line\r\n\r\n']);
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /"incident":"[0-9a-z]{20}"/);
    const ok = await fetch(`${gw.url}/echo`);
    assert.equal(ok.status, 200);
  });

  test('conflicting Content-Length and Transfer-Encoding are refused (request smuggling)', async () => {
    const answer = await raw(gw.url, [
      'POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n',
    ]);
    assert.match(answer, /^HTTP\/1\.1 400 /);
  });

  test('headers trickled slower than headersTimeoutMs are cut off (slowloris)', async () => {
    const started = Date.now();
    const lines = ['GET / HTTP/1.1\r\n', 'host: x\r\n', ...Array.from({ length: 40 }, (_, i) => `x-slow-${i}: y\r\n`)];
    const answer = await raw(gw.url, lines, 8_000, 200);
    const took = Date.now() - started;
    assert.ok(took < 4_000, `connection held for ${took} ms`);
    assert.ok(answer === '' || /^HTTP\/1\.1 408 /.test(answer), `unexpected answer: ${answer.slice(0, 40)}`);
  });

  test('connections past the per-address limit are refused while existing ones are served', async () => {
    const { hostname, port } = new URL(gw.url);
    const sockets = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<import('node:net').Socket>((resolve) => {
            const s = connect(Number(port), hostname, () => resolve(s));
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
    const answer = await raw(gw.url, ['GET /echo HTTP/1.1\r\nhost: x\r\n\r\n'], 2_000);
    assert.equal(answer, '', 'the 21st connection should be closed without an answer');
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const ok = await fetch(`${gw.url}/echo`);
    assert.equal(ok.status, 200);
  });
});
