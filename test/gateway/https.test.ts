import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Agent, request } from 'undici';
import { startCliGateway, startCliGatewayWithHttps } from '../helpers/cli.ts';
import { selfSignedCert } from '../helpers/tls-cert.ts';
import { startTestUpstream } from '../helpers/upstream.ts';

test('the optional HTTPS listener terminates TLS and tells the upstream the request was https', async () => {
  const upstream = await startTestUpstream();
  const { gw, port } = await startCliGatewayWithHttps(upstream.url);
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
  try {
    assert.match(gw.stderr(), new RegExp(`https://127\\.0\\.0\\.1:${port}`));
    const res = await request(`https://127.0.0.1:${port}/echo`, { dispatcher });
    assert.equal(res.statusCode, 200);
    const echo = (await res.body.json()) as { headers: Record<string, string> };
    assert.equal(echo.headers['x-forwarded-proto'], 'https');
  } finally {
    await dispatcher.close();
    await gw.stop();
    await upstream.close();
  }
});

test('an unreadable certificate is a startup error that names the setting', async () => {
  const upstream = await startTestUpstream();
  const tls = selfSignedCert();
  const config = join(tls.dir, 'bad.yaml');
  writeFileSync(
    config,
    `upstream: { url: "${upstream.url}" }\nhttps:\n  listen: 127.0.0.1:0\n  cert: ${tls.dir}/missing.pem\n  key: ${tls.key}\n`,
  );
  try {
    await assert.rejects(startCliGateway(['--config', config]), /PC_ERR_SERVER_TLS[\s\S]*https\.cert/);
  } finally {
    await upstream.close();
  }
});
