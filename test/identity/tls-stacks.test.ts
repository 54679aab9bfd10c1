import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as https from 'node:https';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { helloPeekPath } from '../../src/identity/hello-peek.ts';
import type { TlsFingerprint } from '../../src/pipeline/context.ts';
import { fingerprintEchoServer } from './tls-server.ts';

const run = promisify(execFile);
let srv: Awaited<ReturnType<typeof fingerprintEchoServer>>;
before(async () => {
  srv = await fingerprintEchoServer();
});
after(() => srv.close());

function nodeGet(options: https.RequestOptions & { ALPNProtocols?: string[] }): Promise<TlsFingerprint> {
  return new Promise((resolve, reject) => {
    const req = https.get(srv.url, { agent: false, rejectUnauthorized: false, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(JSON.parse(body) as TlsFingerprint));
    });
    req.on('error', reject);
  });
}

async function curlGet(...args: string[]): Promise<TlsFingerprint> {
  const { stdout } = await run('curl', ['-sk', '--max-time', '10', ...args, srv.url]);
  return JSON.parse(stdout) as TlsFingerprint;
}

async function twice(get: () => Promise<TlsFingerprint>): Promise<TlsFingerprint> {
  const a = await get();
  const b = await get();
  assert.ok(a?.ja4, 'the first connection carries a fingerprint');
  assert.equal(a.ja4, b.ja4, 'JA4 is stable across connections of one stack');
  return a;
}

test('different TLS stacks get different JA4s, each stable across connections', async () => {
  const stacks: Record<string, TlsFingerprint> = {
    nodeDefault: await twice(() => nodeGet({})),
    nodeTls12OneCipher: await twice(() => nodeGet({ ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256', maxVersion: 'TLSv1.2' })),
    nodeAlpn: await twice(() => nodeGet({ ALPNProtocols: ['http/1.1'] })),
    curl: await twice(() => curlGet()),
    curlTls12: await twice(() => curlGet('--tls-max', '1.2', '--http1.1')),
  };
  const ja4s = Object.values(stacks).map((s) => s.ja4);
  assert.equal(new Set(ja4s).size, ja4s.length, `all distinct: ${JSON.stringify(stacks, null, 1)}`);
  // Node's https client sends SNI only for host names, so an IP target reads "i"; curl likewise.
  assert.match(stacks.nodeDefault!.ja4, /^t13i\d{4}00_/);
  // One cipher, plus the renegotiation SCSV (0x00ff, which the spec says to count) from Node 20's OpenSSL; Node
  // 22 and 24 send the renegotiation_info extension instead.
  assert.match(stacks.nodeTls12OneCipher!.ja4, /^t12i0[12]\d\d00_/);
  assert.match(stacks.nodeAlpn!.ja4, /^t13i\d{4}h1_/);
  assert.match(stacks.curl!.ja4, /^t13i\d{4}(h2|h1)_/);
  assert.ok(stacks.curl!.ja3Text?.startsWith('771,'));
});

test('once the first connection of the process has checked it, hellos reach TLS without the socket queue', async () => {
  // The first peek compares our view of the chunk with what Node's own reader queued; later ones hand the bytes
  // to the TLS engine directly (hello-peek.ts). Falling back to the queue would still fingerprint, ~10 µs dearer.
  const a = await nodeGet({});
  const b = await nodeGet({});
  assert.equal(helloPeekPath(), 'direct');
  assert.equal(a.ja4, b.ja4);
});

test('OpenSSL-based stacks keep their JA3 across connections too', async () => {
  const a = await curlGet();
  const b = await curlGet();
  assert.equal(a.ja3, b.ja3);
  assert.match(a.ja3, /^[0-9a-f]{32}$/);
});

test('the handshake still succeeds when the hello arrives one byte at a time', async () => {
  const tls = await import('node:tls');
  const net = await import('node:net');
  const { port, hostname } = new URL(srv.url);
  // Capture a real hello, then replay it through a TCP socket in 1-byte writes into a fresh TLS client stream.
  const raw = net.connect(Number(port), hostname);
  await new Promise((r) => raw.once('connect', r));
  const slow = new (await import('node:stream')).Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      let i = 0;
      const next = () => {
        if (i >= chunk.length) return cb();
        raw.write(chunk.subarray(i, i + 1), () => setImmediate(next));
        i += 1;
      };
      next();
    },
  });
  raw.on('data', (d) => slow.push(d));
  const socket = tls.connect({ socket: slow as never, rejectUnauthorized: false, servername: 'localhost' });
  await new Promise((r) => socket.once('secureConnect', r));
  socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  let text = '';
  for await (const c of socket) text += c;
  raw.destroy();
  const fp = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as TlsFingerprint;
  assert.match(fp.ja4, /^t13d/);
  assert.equal(fp.serverName, 'localhost');
});

test('a client silent past the peek time-out is handed to TLS unfingerprinted, and a reset does not crash', async () => {
  const net = await import('node:net');
  const tls = await import('node:tls');
  const https = await import('node:https');
  const { attachTlsFingerprinting, tlsFingerprintOf } = await import('../../src/identity/tls-fingerprint.ts');
  const { selfSignedCert } = await import('./tls-server.ts');
  const server = https.createServer(selfSignedCert(), (req, res) =>
    res.end(JSON.stringify(tlsFingerprintOf(req.socket) ?? null)),
  );
  attachTlsFingerprinting(server, { peekTimeoutMs: 150 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const reset = net.connect(port, '127.0.0.1');
    await new Promise((r) => reset.once('connect', r));
    reset.resetAndDestroy();
    const raw = net.connect(port, '127.0.0.1');
    await new Promise((r) => raw.once('connect', r));
    // The shared sweep runs at most once a second, so the time-out fires within ~1 s of its deadline.
    await new Promise((r) => setTimeout(r, 1300));
    const socket = tls.connect({ socket: raw, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise((r) => socket.once('secureConnect', r));
    socket.end('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    let text = '';
    for await (const c of socket) text += c;
    assert.match(text, /^HTTP\/1\.1 200/);
    assert.equal(text.slice(text.indexOf('\r\n\r\n') + 4), 'null');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('a client that closes before its hello, or speaks plain HTTP to the TLS port, is closed and others still served', async () => {
  const net = await import('node:net');
  const { port, hostname } = new URL(srv.url);
  const quiet = net.connect(Number(port), hostname);
  await new Promise((r) => quiet.once('connect', r));
  quiet.end();
  await new Promise((r) => quiet.once('close', r));

  const plain = net.connect(Number(port), hostname);
  await new Promise((r) => plain.once('connect', r));
  plain.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
  plain.resume();
  await new Promise((r) => plain.once('close', r));

  const fp = await nodeGet({});
  assert.match(fp.ja4, /^t13i/);
});
