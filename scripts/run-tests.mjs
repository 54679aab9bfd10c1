#!/usr/bin/env node
// Node 20's test runner does not discover `.ts` files by itself, so this lists them and hands them over.
// Usage: node scripts/run-tests.mjs [DIR|FILE ...]   (default: src and test)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'test'];
const files = [];
function walk(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isFile()) {
    if (path.endsWith('.test.ts')) files.push(path);
    return;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    walk(join(path, name));
  }
}
roots.forEach(walk);
if (files.length === 0) {
  console.error(`no *.test.ts files under ${roots.join(', ')}`);
  process.exit(1);
}
// Integration tests start real gateways and upstreams; two at a time keeps a 2-core machine honest.
const concurrency = process.env.PORTCULLIS_TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=120000', ...files],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
