import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { request } from 'undici';
import { systemClock } from '../../src/core/clock.ts';
import { decisionsConfigSchema } from '../../src/decisions/config.ts';
import { openDecisionService } from '../../src/decisions/service.ts';
import { EventBus } from '../../src/events/bus.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'pc-dec-kill9-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('every decision the API accepted is back after kill -9 and restart, and the expired one is not', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fixtures/serve-decisions.ts'), dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (c: Buffer) => resolve(c.toString().trim()));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const post = async (path: string, body: string, type: string) => {
    const res = await request(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer kill9-token-0123456789', 'content-type': type },
      body,
    });
    const text = await res.body.text();
    assert.ok(res.statusCode < 300, `${res.statusCode} ${text}`);
    return JSON.parse(text) as { id?: string; accepted?: number };
  };
  const accepted: string[] = [];
  for (let i = 0; i < 50; i++) {
    const d = await post(
      '/api/v1/decisions',
      JSON.stringify({ value: `198.18.0.${i}`, reason: `n${i}` }),
      'application/json',
    );
    accepted.push(d.id!);
  }
  const short = await post('/api/v1/decisions', JSON.stringify({ value: '198.19.0.1', ttl: '1s' }), 'application/json');
  const imp = await post('/api/v1/decisions/import?format=text&name=k9', '10.0.0.0/8\n2001:db8::/32\n', 'text/plain');
  assert.equal(imp.accepted, 2);
  // Fire more writes and kill without waiting for them: only answered ones must survive.
  void post('/api/v1/decisions', JSON.stringify({ value: '198.20.0.1' }), 'application/json').catch(() => {});
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  await new Promise((r) => setTimeout(r, 1100));

  const svc = await openDecisionService({
    dataDir,
    clock: systemClock,
    events: new EventBus(),
    config: decisionsConfigSchema.parse({}),
  });
  try {
    for (const id of accepted) assert.ok(svc.get(id), `decision ${id} lost`);
    assert.equal(svc.gate.lookup(['ip:198.18.0.49'])?.decisionId, accepted[49]);
    assert.equal(svc.gate.lookup(['ip:10.1.1.1'])?.matched, 'cidr:10.0.0.0/8');
    assert.equal(svc.gate.lookup(['ip:2001:db8::9'])?.matched, 'cidr:2001:db8::/32');
    assert.equal(svc.get(short.id!), undefined);
    assert.equal(svc.gate.lookup(['ip:198.19.0.1']), undefined);
  } finally {
    await svc.close();
  }
});
