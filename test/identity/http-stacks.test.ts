import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { request } from 'undici';
import { httpFingerprint } from '../../src/identity/http-fingerprint.ts';

/** Live counterpart of the case tables: real client stacks against a server that answers with their PHF1. */
const run = promisify(execFile);
let server: http.Server;
let url: string;
before(async () => {
  server = http.createServer((req, res) => res.end(httpFingerprint(req.rawHeaders, req.httpVersion)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

async function twice(get: () => Promise<string>): Promise<string> {
  const a = await get();
  assert.equal(await get(), a, 'stable across requests of one stack');
  return a;
}

test('Node fetch, undici.request, node:http and curl each have their own stable HTTP fingerprint', async () => {
  const fps = {
    fetch: await twice(async () => (await fetch(url)).text()),
    undici: await twice(async () => (await request(url)).body.text()),
    nodeHttp: await twice(
      () =>
        new Promise<string>((resolve, reject) => {
          http
            .get(url, { agent: false }, (res) => {
              let b = '';
              res.on('data', (c: Buffer) => (b += c));
              res.on('end', () => resolve(b));
            })
            .on('error', reject);
        }),
    ),
    curl: await twice(async () => (await run('curl', ['-s', url])).stdout),
  };
  assert.equal(new Set(Object.values(fps)).size, 4, JSON.stringify(fps));
  assert.match(fps.fetch, /^11ln07_s-gd-w-f1c0_/);
  assert.match(fps.curl, /^11tn03_s-n-n-f0c0_/);
  // A POST with a body and credentials from the same stack keeps the stack's fingerprint.
  const post = await (
    await fetch(url, { method: 'POST', body: '{"a":1}', headers: { authorization: 'Bearer x' } })
  ).text();
  assert.equal(post, fps.fetch);
});
