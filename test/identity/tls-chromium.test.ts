import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import type { TlsFingerprint } from '../../src/pipeline/context.ts';
import { fingerprintEchoServer } from './tls-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const run = promisify(execFile);
let srv: Awaited<ReturnType<typeof fingerprintEchoServer>>;
before(async () => {
  srv = await fingerprintEchoServer();
});
after(() => srv.close());

async function chromiumFingerprints(n: number): Promise<TlsFingerprint[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--ignore-certificate-errors'],
  });
  try {
    const out: TlsFingerprint[] = [];
    for (let i = 0; i < n; i++) {
      // A fresh context per visit, and `connection: close` from the server, so each visit is a new handshake.
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const res = await page.goto(srv.url.replace('127.0.0.1', 'localhost'));
      out.push((await res!.json()) as TlsFingerprint);
      await context.close();
    }
    return out;
  } finally {
    await browser.close();
  }
}

test('Chromium has a stable JA4 that differs from curl and Node', { skip: !existsSync(CHROMIUM) }, async () => {
  const [a, b, c] = await chromiumFingerprints(3);
  assert.ok(a?.ja4 && b && c);
  assert.equal(a.ja4, b.ja4);
  assert.equal(b.ja4, c.ja4);
  // BoringSSL: TLS 1.3, SNI to a domain, ALPN h2 first.
  assert.match(a.ja4, /^t13d\d{4}h2_/);
  assert.equal(a.serverName, 'localhost');
  const { stdout } = await run('curl', ['-sk', '--max-time', '10', srv.url.replace('127.0.0.1', 'localhost')]);
  const curl = JSON.parse(stdout) as TlsFingerprint;
  assert.notEqual(curl.ja4, a.ja4);
  // Chrome permutes its extension order per connection (since v110): JA3 changes, JA4 sorts and does not.
  const ja3s = new Set([a.ja3, b.ja3, c.ja3]);
  // Three equal permutations of ~16 extensions would be a ~1e-26 coincidence, so this is deterministic in practice.
  assert.ok(ja3s.size > 1, 'JA3 varies across Chromium connections');
});
