import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runDecisionsCommand, runExplainCommand } from '../../src/cli/decisions-command.ts';
import { captureIo, type Harness, startHarness } from './harness.ts';

let h: Harness;
let work: string;
before(async () => {
  h = await startHarness();
  work = mkdtempSync(join(tmpdir(), 'pc-dec-cli-'));
  // The CLI finds the token in <data-dir>/admin-token, as `portcullis start` leaves it.
  writeFileSync(join(work, 'admin-token'), `${h.token}\n`);
});
after(async () => {
  await h.close();
  rmSync(work, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const c = captureIo();
  const code = await runDecisionsCommand([...args, '--admin-url', h.url, '--data-dir', work], c.io);
  return { code, out: c.stdout, err: c.stderr };
}

describe('portcullis decisions and explain against a running admin API', () => {
  test('add prints the new decision and explain shows it winning, with the actor from --as', async () => {
    const add = await cli('add', '203.0.113.50', '--ttl', '24h', '--reason', 'stuffing', '--as', 'bob');
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /^d\d+\tblock\tip\t203\.0\.113\.50\t/);
    const c = captureIo();
    const code = await runExplainCommand(['203.0.113.50', '--admin-url', h.url, '--token', h.token], c.io);
    assert.equal(code, 0, c.stderr);
    assert.match(c.stdout, /block wins for 203\.0\.113\.50/);
    assert.match(c.stdout, /^\* d\d+ block ip 203\.0\.113\.50 \(manual, by admin-token@127\.0\.0\.1:bob/m);
  });

  test('import reports bad lines as FILE:LINE and exits 3, then search and export see the good ones', async () => {
    const file = join(work, 'feed.netset');
    writeFileSync(file, '# FireHOL\n192.0.2.0/24\n999.1.1.1\n198.51.100.0/24\n');
    const r = await cli('import', file, '--name', 'firehol');
    assert.equal(r.code, 3);
    assert.match(r.out, /2 accepted, 1 rejected of 4 line/);
    assert.match(r.err, /feed\.netset:3: /);
    const s = await cli('search', '--source', 'import:firehol', '--all');
    assert.equal(s.out.trim().split('\n').length, 2);
    const out = join(work, 'out.ipset');
    const e = await cli('export', '--format', 'ipset', '--source', 'import:firehol', '-o', out);
    assert.equal(e.code, 0, e.err);
    assert.match(readFileSync(out, 'utf8'), /add portcullis-v4 192\.0\.2\.0\/24 -exist/);
  });

  test('bulk remove counts first and deletes only with --yes', async () => {
    await cli('add', '10.10.10.10', '--reason', 'tmp-bulk');
    const dry = await cli('remove', '--reason', 'tmp-bulk');
    assert.match(dry.out, /^1 decision\(s\) match/);
    const done = await cli('remove', '--reason', 'tmp-bulk', '--yes', '--why', 'cleanup');
    assert.match(done.out, /removed 1 decision/);
    assert.equal(h.service.gate.lookup(['ip:10.10.10.10']), undefined);
  });

  test('remove by id, then a second remove fails with the API problem and exit 1', async () => {
    const add = await cli('add', '10.20.30.40');
    const id = add.out.split('\t')[0]!;
    assert.equal((await cli('remove', id)).code, 0);
    const again = await cli('remove', id);
    assert.equal(again.code, 1);
    assert.match(again.err, /PC_ERR_DECISIONS_NOT_FOUND/);
  });

  test('usage errors exit 2 and --help prints the usage', async () => {
    assert.equal((await cli('frobnicate')).code, 2);
    assert.equal((await cli('add')).code, 2);
    const help = await cli('--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /Usage: portcullis decisions/);
  });

  test('an unreachable admin API is reported with what to do', async () => {
    const c = captureIo();
    const code = await runDecisionsCommand(['search', '--admin-url', 'http://127.0.0.1:1', '--token', 'x'], c.io);
    assert.equal(code, 1);
    assert.match(c.stderr, /cannot reach the admin API/);
  });
});
