import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfig } from './load.ts';
import { planReload } from './reload.ts';

test('a changed detection section is applied and a changed listener needs a restart', () => {
  const a = validateConfig({});
  const b = validateConfig({ listen: '127.0.0.1:9999', detection: { paranoia: 2 } });
  assert.deepEqual(planReload(a, b), { apply: ['detection'], needsRestart: ['listen'] });
});

test('identical configs change nothing', () => {
  assert.deepEqual(planReload(validateConfig({}), validateConfig({})), { apply: [], needsRestart: [] });
});
