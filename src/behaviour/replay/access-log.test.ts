import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClfTime, parseCombined, parseJsonLine } from './access-log.ts';

test('combined log lines parse into records, including the user agent and query', () => {
  const cases: [line: string, expected: Record<string, unknown> | undefined][] = [
    [
      '203.0.113.7 - - [10/Oct/2025:13:55:36 +0000] "GET /api/products/12?page=2 HTTP/1.1" 200 2326 "-" "Mozilla/5.0 (X11)"',
      {
        ip: '203.0.113.7',
        method: 'GET',
        path: '/api/products/12',
        rawQuery: 'page=2',
        status: 200,
        userAgent: 'Mozilla/5.0 (X11)',
      },
    ],
    [
      '2001:db8::1 - alice [10/Oct/2025:13:55:36 -0200] "POST /login HTTP/2.0" 401 12',
      { ip: '2001:db8::1', method: 'POST', path: '/login', rawQuery: '', status: 401, user: 'alice' },
    ],
    ['garbage line', undefined],
    ['203.0.113.7 - - [99/Foo/2025:13:55:36 +0000] "GET / HTTP/1.1" 200 1', undefined],
  ];
  for (const [line, expected] of cases) {
    const r = parseCombined(line);
    if (expected === undefined) assert.equal(r, undefined, line);
    else
      for (const [k, v] of Object.entries(expected))
        assert.equal((r as unknown as Record<string, unknown>)?.[k], v, `${k} of ${line}`);
  }
});

test('CLF times honour their offset', () => {
  assert.equal(parseClfTime('10/Oct/2025:13:55:36 -0200'), Date.UTC(2025, 9, 10, 15, 55, 36));
  assert.equal(parseClfTime('10/Oct/2025:13:55:36 +0100'), Date.UTC(2025, 9, 10, 12, 55, 36));
});

test('JSON lines parse from Portcullis’ access log and common nginx field names', () => {
  const ours = parseJsonLine(
    '{"level":30,"time":"2026-01-01T10:00:00.000Z","msg":"request","ip":"192.0.2.1","method":"GET","path":"/api/orders","status":200}',
  );
  assert.deepEqual(ours, {
    time: Date.UTC(2026, 0, 1, 10),
    ip: '192.0.2.1',
    method: 'GET',
    path: '/api/orders',
    rawQuery: '',
    status: 200,
  });
  const nginx = parseJsonLine(
    '{"timestamp":1767261600,"remote_addr":"192.0.2.2","request_method":"post","request_uri":"/login?x=1","status":"401","http_user_agent":"curl/8"}',
  );
  assert.equal(nginx?.time, 1767261600_000);
  assert.equal(nginx?.method, 'POST');
  assert.equal(nginx?.rawQuery, 'x=1');
  assert.equal(nginx?.userAgent, 'curl/8');
  assert.equal(parseJsonLine('{"msg":"not a request"}'), undefined);
  assert.equal(parseJsonLine('[1,2]'), undefined);
});
