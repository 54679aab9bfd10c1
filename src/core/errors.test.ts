import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES } from './errors.ts';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const documented = new Set(doc.match(/PC_ERR_[A-Z0-9_]+/g) ?? []);

test('every error code is documented in docs/errors.md', () => {
  const missing = Object.keys(ERROR_CODES).filter((c) => !documented.has(c));
  assert.deepEqual(missing, []);
});

test('docs/errors.md documents no code that does not exist', () => {
  const stale = [...documented].filter((c) => !(c in ERROR_CODES));
  assert.deepEqual(stale, []);
});

test('error codes follow PC_ERR_<AREA>_<WHAT> and every message says what to do', () => {
  for (const [code, message] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^PC_ERR_[A-Z]+_[A-Z0-9_]+$/);
    assert.ok(message.length > 20, `${code} needs a message that says what to do`);
  }
});
