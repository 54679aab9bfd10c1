import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unsupportedNodeReason } from './node-support.ts';

test('Node 20 from 20.11 and every Node 22 run a gateway', () => {
  for (const v of ['20.11.0', '20.20.2', '22.0.0', '22.23.3']) assert.equal(unsupportedNodeReason(v), undefined, v);
});

test('Node 24 and later are refused with the reason and what to run instead', () => {
  for (const v of ['24.0.0', '24.21.0', '26.10.0']) {
    const reason = unsupportedNodeReason(v);
    assert.match(reason ?? '', /better-sqlite3 12\) aborts/, v);
    assert.match(reason ?? '', /Run Node\.js 22 or 20/, v);
  }
});

test('older and odd lines are refused as untested', () => {
  for (const v of ['18.20.0', '20.10.0', '21.7.3', '23.11.0']) {
    assert.match(unsupportedNodeReason(v) ?? '', /not supported \(untested\)/, v);
  }
});

test('the version this suite runs on is supported (CI would otherwise test a line users cannot run)', () => {
  assert.equal(unsupportedNodeReason(process.versions.node), undefined);
});
