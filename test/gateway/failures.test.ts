import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, type RunningGateway, startCliGateway } from '../helpers/cli.ts';
import { startTestUpstream, type TestUpstream } from '../helpers/upstream.ts';
import { freePort } from '../helpers/net.ts';

describe('upstream failures reach the client as problem+json with an incident id', () => {
  let upstream: TestUpstream;
  let gw: RunningGateway;
  before(async () => {
    upstream = await startTestUpstream();
    const gwDir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'pc-fail-'));
    const config = join(gwDir, 'portcullis.yaml');
    writeFileSync(config, `upstream:\n  url: ${upstream.url}\n  timeoutMs: 500\n`);
    gw = await startCliGateway(['--config', config], { dataDir: gwDir });
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  test('an upstream that does not answer in time gives 504', async () => {
    const res = await fetch(`${gw.url}/slow/3000`);
    assert.equal(res.status, 504);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.status, 504);
    assert.match(String(body.incident), /^[0-9a-z]{20}$/);
    assert.equal(res.headers.get('x-portcullis-incident'), body.incident);
    // No internals: neither the upstream address nor an error code.
    assert.doesNotMatch(JSON.stringify(body), /127\.0\.0\.1|UND_ERR|ECONN/);
  });

  test('a client that goes away cancels its upstream request', async () => {
    const aborted = upstream.nextAbort('/hang');
    const controller = new AbortController();
    const pending = fetch(`${gw.url}/hang`, { signal: controller.signal }).catch(() => undefined);
    // Abort only once the upstream is serving it (a fixed sleep raced on a loaded machine).
    await eventually(() => (upstream.seen.some((r) => r.url === '/hang') ? true : undefined));
    controller.abort();
    await pending;
    assert.equal(await aborted, '/hang');
  });
});

test('an upstream that refuses connections gives 502 and the gateway keeps serving', async () => {
  const port = await freePort();
  const gw = await startCliGateway(['--upstream', `http://127.0.0.1:${port}`]);
  try {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${gw.url}/anything`);
      assert.equal(res.status, 502);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.title, 'Bad Gateway');
      assert.doesNotMatch(JSON.stringify(body), new RegExp(String(port)));
    }
    const health = await fetch(`${gw.adminUrl}/healthz`);
    assert.equal(health.status, 200);
  } finally {
    await gw.stop();
  }
});
