import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { ReplayReport } from '../../src/behaviour/replay/replay.ts';
import { runReplayCommand } from '../../src/cli/replay-command.ts';

function clf(t: number, ip: string, method: string, target: string, status: number, ua: string): string {
  const d = new Date(t);
  const mon = d.toUTCString().slice(8, 11);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  return `${ip} - - [${time}] "${method} ${target} HTTP/1.1" ${status} 512 "-" "${ua}"`;
}

function capture(): { io: { stdout: Writable; stderr: Writable }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  return { io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) }, out: () => out, err: () => err };
}

test('replay reports the scanner and the stuffing campaign, and spares the NAT office', async () => {
  const lines: string[] = [];
  const t0 = Date.UTC(2026, 0, 5, 9);
  const chrome = 'Mozilla/5.0 (Windows NT 10.0) Chrome/131.0 Safari/537.36';
  // 30 minutes of an office behind one address: 30 people browsing and logging in, a few typos.
  for (let i = 0; i < 1800; i++) {
    const t = t0 + i * 1000;
    if (i % 60 === 0) lines.push(clf(t, '203.0.113.10', 'POST', '/login', i % 300 === 0 ? 401 : 200, chrome));
    else lines.push(clf(t, '203.0.113.10', 'GET', `/api/products/${(i * 7919) % 997}`, 200, chrome));
  }
  // A scanner.
  for (let i = 0; i < 40; i++)
    lines.push(
      clf(t0 + 60_000 + i * 200, '198.51.100.66', 'GET', i % 3 ? `/api/x${i}` : '/.env', 404, 'Mozilla/5.0 zgrab'),
    );
  // Stuffing from 300 rotating addresses, one stack.
  for (let i = 0; i < 600; i++) {
    const ip = `10.${1 + (i >> 9)}.${(i >> 1) & 255}.${1 + (i % 7)}`; // a fresh address every two attempts
    lines.push(clf(t0 + 120_000 + i * 300, ip, 'POST', '/login', 401, 'python-requests/2.32'));
  }
  lines.push('this is not a log line');
  lines.sort((a, b) => (a.slice(a.indexOf('[')) < b.slice(b.indexOf('[')) ? -1 : 1));
  const dir = mkdtempSync(join(tmpdir(), 'pc-replay-test-'));
  const file = join(dir, 'access.log');
  writeFileSync(file, `${lines.join('\n')}\n`);

  const c = capture();
  assert.equal(await runReplayCommand([file, '--format', 'combined', '--json'], c.io), 0, c.err());
  const report = JSON.parse(c.out()) as ReplayReport;
  assert.equal(report.skipped, 1);
  const targets = report.decisions.map((d) => d.target);
  assert.ok(targets.includes('ip:198.51.100.66'), 'the scanner is blocked');
  assert.ok(
    targets.some((t) => t.startsWith('http:ua-')),
    'the stuffing stack is blocked',
  );
  assert.ok(!targets.includes('ip:203.0.113.10'), 'the office is not blocked');
  const stuffingStopped = (report.actions.gate ?? 0) + (report.actions.block ?? 0) + (report.actions.challenge ?? 0);
  assert.ok(stuffingStopped >= 550, `stuffing stopped ${stuffingStopped} of 600`);

  const text = capture();
  assert.equal(await runReplayCommand([file], text.io), 0);
  assert.match(text.out(), /Would have been:/);
});

test('replay refuses unknown options and missing files with a code and what to do', async () => {
  const a = capture();
  assert.equal(await runReplayCommand(['--bogus'], a.io), 2);
  assert.match(a.err(), /PC_ERR_CONFIG_FLAG: unknown option --bogus/);
  const b = capture();
  assert.equal(await runReplayCommand(['/nonexistent/access.log'], b.io), 1);
  assert.match(b.err(), /PC_ERR_CONFIG_READ/);
});
