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

test('refreshes the API answered are back after kill -9 under their ids, and the deleted newest id stays unused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-dec-kill9-refresh-'));
  try {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures/serve-decisions.ts'), dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (c: Buffer) => resolve(c.toString().trim()));
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const call = async (method: 'POST' | 'DELETE', path: string, body?: string, type = 'application/json') => {
      const res = await request(`${url}${path}`, {
        method,
        headers: { authorization: 'Bearer kill9-token-0123456789', 'content-type': type },
        ...(body === undefined ? {} : { body }),
      });
      const text = await res.body.text();
      assert.ok(res.statusCode < 300, `${res.statusCode} ${text}`);
      return (text === '' ? {} : JSON.parse(text)) as { id?: string; accepted?: number };
    };
    const add = (value: string, extra: object) => call('POST', '/api/v1/decisions', JSON.stringify({ value, ...extra }));
    const a = await add('198.18.1.1', { reason: 'first', ttl: '1s' });
    const b = await add('198.18.1.2', { reason: 'first' });
    // Refreshes: a's short TTL becomes permanent, b gets a new reason; the import refreshes one target, adds one.
    assert.equal((await add('198.18.1.1', { reason: 'second' })).id, a.id);
    assert.equal((await add('198.18.1.2', { reason: 'second', ttl: '1h' })).id, b.id);
    const imp = await call('POST', '/api/v1/decisions/import?format=text&name=k9', '198.18.1.2\n198.18.1.3\n', 'text/plain');
    assert.equal(imp.accepted, 2);
    const newest = await add('198.18.1.4', { reason: 'newest' });
    await call('DELETE', `/api/v1/decisions/${newest.id}?why=mistake`);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await new Promise((r) => setTimeout(r, 1100));

    const svc = await openDecisionService({
      dataDir: dir,
      clock: systemClock,
      events: new EventBus(),
      config: decisionsConfigSchema.parse({}),
    });
    try {
      assert.equal(svc.get(a.id!)?.reason, 'second', 'the refresh past the first 1 s TTL survived');
      assert.equal(svc.gate.lookup(['ip:198.18.1.1'])?.decisionId, a.id);
      assert.equal(svc.get(b.id!)?.reason, 'imported from k9');
      assert.equal(svc.gate.lookup(['ip:198.18.1.2'])?.decisionId, b.id);
      assert.equal(svc.count({}), 3);
      assert.equal(svc.get(newest.id!), undefined);
      const next = await svc.add(
        { kind: 'ip', value: '198.18.1.5', action: 'block', reason: 'after restart', source: 'manual' },
        'ops',
      );
      assert.notEqual(next.id, newest.id);
      assert.ok(Number(next.id.slice(1)) > Number(newest.id!.slice(1)));
    } finally {
      await svc.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
