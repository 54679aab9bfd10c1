import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STACKS } from '../../test/identity/stack-headers.ts';
import { encodingShape, httpFingerprint, languageShape } from './http-fingerprint.ts';

test('every recorded client stack gets its own HTTP fingerprint', () => {
  const fps = Object.entries(STACKS).map(([name, h]) => [name, httpFingerprint(h, '1.1')] as const);
  const distinct = new Set(fps.map(([, fp]) => fp));
  assert.equal(distinct.size, fps.length, JSON.stringify(Object.fromEntries(fps), null, 1));
});

test('the readable part says what each stack looks like', () => {
  const cases: [keyof typeof STACKS, RegExp][] = [
    ['chrome', /^11mn1\d_h-gdbz-q-f4c3_[0-9a-f]{12}$/],
    ['firefox', /^11tn1\d_h-gdbz-q-f4c0_/],
    ['safari', /^11tn\d\d_h-gdb-q-f3c0_/],
    ['okhttp', /^11tn04_n-g-n-f0c0_/],
    ['pythonRequests', /^11tn05_s-gd-n-f0c0_/],
    ['go', /^11tn03_n-g-n-f0c0_/],
    ['curl', /^11tn03_s-n-n-f0c0_/],
    ['nodeFetch', /^11ln07_s-gd-w-f1c0_/],
  ];
  for (const [stack, re] of cases) assert.match(httpFingerprint(STACKS[stack]!, '1.1'), re, stack);
});

test('one stack keeps its fingerprint across values, credentials and body framing', () => {
  const base = httpFingerprint(STACKS.pythonRequests!, '1.1');
  const post = [
    ...STACKS.pythonRequests!.slice(0, 6),
    'Authorization',
    'Bearer abc',
    ...STACKS.pythonRequests!.slice(6),
    'Content-Length',
    '42',
    'Content-Type',
    'application/json',
  ];
  const other = STACKS.pythonRequests!.map((v, i) => (i === 3 ? 'python-requests/2.31.0' : v));
  assert.equal(httpFingerprint(post, '1.1'), base);
  assert.equal(httpFingerprint(other, '1.1'), base);
});

test('cookie presence, order and casing each change the fingerprint', () => {
  const base = httpFingerprint(STACKS.curl!, '1.1');
  assert.notEqual(httpFingerprint([...STACKS.curl!, 'Cookie', 'a=b'], '1.1'), base);
  assert.notEqual(httpFingerprint(['User-Agent', 'curl/7.88.1', 'Host', 'x', 'Accept', '*/*'], '1.1'), base);
  assert.notEqual(httpFingerprint(['host', 'x', 'user-agent', 'curl/7.88.1', 'accept', '*/*'], '1.1'), base);
});

test('HTTP/2 pseudo-headers count in the order', () => {
  const a = httpFingerprint([':method', 'GET', ':authority', 'x', ':scheme', 'https', ':path', '/'], '2.0');
  const b = httpFingerprint([':method', 'GET', ':path', '/', ':authority', 'x', ':scheme', 'https'], '2.0');
  assert.match(a, /^20ln04_/);
  assert.notEqual(a, b);
});

test('value shapes follow the documented letters', () => {
  assert.equal(encodingShape('gzip, deflate, br, zstd'), 'gdbz');
  assert.equal(encodingShape('br;q=1.0, gzip;q=0.8, *;q=0.1'), 'bga');
  assert.equal(encodingShape('lzma'), 'x');
  assert.equal(languageShape('*'), 'w');
  assert.equal(languageShape('de'), '1');
  assert.equal(languageShape('de, en'), 'l');
  assert.equal(languageShape('de-DE,de;q=0.9'), 'q');
});
