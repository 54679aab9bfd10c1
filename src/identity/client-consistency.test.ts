import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { test } from 'node:test';
import { CHROME_UA, FIREFOX_UA, STACKS, withUserAgent } from '../../test/identity/stack-headers.ts';
import { inconsistencies } from './client-consistency.ts';
import { httpFingerprint } from './http-fingerprint.ts';
import { parseUserAgent } from './user-agent.ts';

const CHROME_TLS = { ja4: 't13d1516h2_8daaf6152771_02713d6af862', ja3: 'x' };
const REQUESTS_TLS = { ja4: 't13d1812h1_85036bcba153_375ca2c5e164', ja3: 'y' };

function seen(raw: readonly string[], secure: boolean, tls?: { ja4: string; ja3: string }) {
  const headers: IncomingHttpHeaders = {};
  for (let i = 0; i < raw.length; i += 2) headers[raw[i]!.toLowerCase()] = raw[i + 1];
  const caseMark = httpFingerprint(raw, '1.1')[2]!;
  return { headers, caseMark, httpVersion: '1.1', secure, ...(tls ? { tls } : {}) };
}

test('real browsers are consistent with their own claims', () => {
  assert.deepEqual(inconsistencies(parseUserAgent(CHROME_UA), seen(STACKS.chrome!, true, CHROME_TLS)), []);
  assert.deepEqual(inconsistencies(parseUserAgent(FIREFOX_UA), seen(STACKS.firefox!, true)), []);
});

test('python-requests claiming Chrome is inconsistent on headers and on TLS', () => {
  const raw = withUserAgent(STACKS.pythonRequests!, CHROME_UA);
  const found = inconsistencies(parseUserAgent(CHROME_UA), seen(raw, true, REQUESTS_TLS));
  const ids = found.map((f) => f.split(':')[0]);
  assert.deepEqual(ids.sort(), ['accept-language', 'client-hints', 'sec-fetch', 'tls-alpn', 'tls-ciphers']);
});

test('each scripted stack claiming a browser is caught even over plain HTTP', () => {
  for (const stack of ['pythonRequests', 'go', 'curl', 'okhttp', 'nodeFetch', 'wget'] as const) {
    const raw = withUserAgent(STACKS[stack]!, CHROME_UA);
    assert.ok(inconsistencies(parseUserAgent(CHROME_UA), seen(raw, false)).length > 0, stack);
  }
});

test('client hints from a browser that never sends them are inconsistent', () => {
  const raw = withUserAgent(STACKS.chrome!, FIREFOX_UA);
  assert.deepEqual(inconsistencies(parseUserAgent(FIREFOX_UA), seen(raw, true)), [
    'client-hints: firefox never sends sec-ch-ua',
  ]);
});

test('libraries that say what they are are not inconsistent', () => {
  assert.deepEqual(inconsistencies(parseUserAgent('python-requests/2.32.3'), seen(STACKS.pythonRequests!, true)), []);
});
