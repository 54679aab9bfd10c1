import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as https from 'node:https';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { type RunningGateway, startCliGatewayWithHttps } from '../helpers/cli.ts';
import { startTestUpstream } from '../helpers/upstream.ts';

/**
 * The end-to-end target, through the real CLI: a client stack whose TLS fingerprint is blocked is refused
 * on its first request from a new address, while a different stack on that same address is served.
 * Loopback has the whole 127/8, so "new addresses" are 127.0.0.x bound with `localAddress`.
 */
const run = promisify(execFile);
let gw: RunningGateway;
let upstream: Awaited<ReturnType<typeof startTestUpstream>>;
let httpsUrl: string;

before(async () => {
  upstream = await startTestUpstream();
  const started = await startCliGatewayWithHttps(upstream.url);
  gw = started.gw;
  const port = started.port;
  httpsUrl = `https://127.0.0.1:${port}/echo`;
});
after(async () => {
  await gw.stop();
  await upstream.close();
});

/** "Stack A": a scripted client with a pinned TLS 1.2 cipher list, the kind a bot framework ships. */
function botStack(localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      httpsUrl,
      {
        agent: false,
        localAddress,
        rejectUnauthorized: false,
        ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305',
        maxVersion: 'TLSv1.2',
        headers: { 'user-agent': 'bot-framework/1.0' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
  });
}

test('a blocked TLS fingerprint is refused on its first request from a new IP; another stack there is served', async () => {
  assert.equal(await botStack('127.0.0.2'), 200);
  // The operator finds the fingerprint through the actor view of the first address…
  const actor = (await (await gw.admin(`/api/v1/actors/${encodeURIComponent('ip:127.0.0.2')}`)).json()) as {
    linked: { facet: string }[];
  };
  const tlsFacet = actor.linked.map((l) => l.facet).find((f) => f.startsWith('tls:'));
  assert.ok(tlsFacet, JSON.stringify(actor));
  // …and blocks it like an IP.
  const created = await gw.admin('/api/v1/decisions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'tls', value: tlsFacet.slice(4), action: 'block', reason: 'bot framework campaign' }),
  });
  assert.equal(created.status, 201, await created.clone().text());

  // Same stack, an address the gateway has never seen: refused on the first request.
  assert.equal(await botStack('127.0.0.3'), 403);
  // A different stack (curl/OpenSSL) on that very address is served.
  const { stdout } = await run('curl', [
    '-sk',
    '--max-time',
    '10',
    '--interface',
    '127.0.0.3',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    httpsUrl,
  ]);
  assert.equal(stdout, '200');
  // And so is Node's default TLS stack from it.
  const status = await new Promise<number>((resolve, reject) => {
    https
      .get(httpsUrl, { agent: false, localAddress: '127.0.0.3', rejectUnauthorized: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
  assert.equal(status, 200);
});

/** A python-requests-shaped request written byte for byte, so its header order and casing are exactly these. */
function scriptedHttp(localAddress: string): Promise<number> {
  const { port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress }, () => {
      socket.write(
        'GET /echo HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: python-requests/2.32.3\r\n' +
          'Accept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: close\r\n\r\n',
      );
    });
    let head = '';
    socket.on('data', (c: Buffer) => (head += c.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

test('a blocked HTTP fingerprint is refused from a new IP over plain HTTP; curl from that IP is served', async () => {
  assert.equal(await scriptedHttp('127.0.0.4'), 200);
  const actor = (await (await gw.admin(`/api/v1/actors/${encodeURIComponent('ip:127.0.0.4')}`)).json()) as {
    linked: { facet: string }[];
  };
  const httpFacet = actor.linked.map((l) => l.facet).find((f) => f.startsWith('http:'));
  assert.match(httpFacet ?? '', /^http:11tn05_s-gd-n-f0c0_/);
  const created = await gw.admin('/api/v1/decisions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'http', value: httpFacet!.slice(5), action: 'block', reason: 'scripted stack' }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  assert.equal(await scriptedHttp('127.0.0.5'), 403);
  const { stdout } = await run('curl', [
    '-s',
    '--max-time',
    '10',
    '--interface',
    '127.0.0.5',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    `${gw.url}/echo`,
  ]);
  assert.equal(stdout, '200');
});
