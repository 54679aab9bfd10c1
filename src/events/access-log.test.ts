import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { AccessLog, type AccessRecord } from './access-log.ts';

function capture() {
  const chunks: string[] = [];
  return { dest: { write: (s: string) => void chunks.push(s) }, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

const record: AccessRecord = {
  incident: 'in-0001',
  ip: '203.0.113.9',
  method: 'GET',
  path: '/api/"quoted"\\path\n?',
  status: 200,
  action: 'allow',
  enforced: true,
  latencyMs: 3,
};

test('writes the line pino would write for the same record', () => {
  const ours = capture();
  const log = new AccessLog(ours.dest, { service: 'portcullis', minLevel: 30 });
  log.write(record, Date.UTC(2026, 0, 1, 10, 0, 0, 5));
  log.flush();
  const theirs = capture();
  const p = pino(
    { base: { service: 'portcullis' }, timestamp: () => ',"time":"2026-01-01T10:00:00.005Z"' },
    theirs.dest,
  );
  p.info({ msg: 'request', ...record });
  assert.deepEqual(JSON.parse(ours.lines()[0]!), JSON.parse(theirs.lines()[0]!));
});

test('an error code makes the line a warn, and a warn-level log drops plain lines', () => {
  const out = capture();
  const log = new AccessLog(out.dest, { service: 'portcullis', minLevel: 40 });
  log.write(record, 0);
  log.write({ ...record, status: 502, upstreamError: 'unreachable', code: 'PC_ERR_UPSTREAM_UNREACHABLE' }, 0);
  log.flush();
  const lines = out.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.level, 40);
  assert.equal(lines[0]!.code, 'PC_ERR_UPSTREAM_UNREACHABLE');
  assert.equal(lines[0]!.upstreamError, 'unreachable');
});

test('batches lines and hands over everything on flush, in order', () => {
  const out = capture();
  const log = new AccessLog(out.dest, { service: 'portcullis', minLevel: 30 });
  for (let i = 0; i < 500; i++) log.write({ ...record, latencyMs: i }, i);
  const beforeFlush = out.lines().length;
  assert.ok(beforeFlush > 0 && beforeFlush < 500, `some batches written before the flush (${beforeFlush})`);
  log.flush();
  const lines = out.lines().map((l) => JSON.parse(l) as { latencyMs: number });
  assert.deepEqual(
    lines.map((l) => l.latencyMs),
    Array.from({ length: 500 }, (_, i) => i),
  );
});
