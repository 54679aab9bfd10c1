import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPortcullisError } from '../core/errors.ts';
import { loadConfig } from './load.ts';

function file(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'pc-load-')), 'c.yaml');
  writeFileSync(f, text);
  return f;
}

test('no file, no env and no flags give the documented defaults', () => {
  const c = loadConfig();
  assert.equal(c.listen, '127.0.0.1:8080');
  assert.equal(c.admin.listen, '127.0.0.1:9090');
  assert.equal(c.mode, 'enforce');
  assert.deepEqual(c.trustProxy, []);
  assert.equal(c.limits.maxBodyBytes, 10 * 1024 * 1024);
  assert.equal(c.decisions.synchronous, 'full');
  assert.equal(c.detection.paranoia, 1);
});

test('env overrides the file and flags override env', () => {
  const f = file('listen: 127.0.0.1:1111\nmode: monitor\nupstream: { url: "http://a:1" }\n');
  const c = loadConfig({
    file: f,
    env: { PORTCULLIS_LISTEN: '127.0.0.1:2222', PORTCULLIS_UPSTREAM: 'http://b:2' },
    flags: { listen: '127.0.0.1:3333' },
  });
  assert.equal(c.listen, '127.0.0.1:3333');
  assert.equal(c.upstream.url, 'http://b:2');
  assert.equal(c.mode, 'monitor');
});

test('the loaded config is frozen all the way down', () => {
  const c = loadConfig();
  assert.ok(Object.isFrozen(c));
  assert.ok(Object.isFrozen(c.limits));
  assert.throws(() => {
    (c.limits as { maxBodyBytes: number }).maxBodyBytes = 1;
  });
});

test('a short admin token is refused with what to do', () => {
  try {
    loadConfig({ env: { PORTCULLIS_ADMIN_TOKEN: 'short' } });
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(isPortcullisError(error));
    assert.match(error.message, /^env PORTCULLIS_ADMIN_TOKEN: must be at least 16 characters; use a random value/);
  }
});

test('a file that is a list, not a mapping, is refused', () => {
  assert.throws(() => loadConfig({ file: file('- a\n- b\n') }), /must be a mapping/);
});

test('errors in area sections are reported with their full key path', () => {
  try {
    loadConfig({ file: file('detection:\n  paranoia: 7\ndecisions:\n  synchronus: full\n') });
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(isPortcullisError(error));
    assert.match(error.message, /c\.yaml:2:detection\.paranoia: .*use at most 4/);
    assert.match(error.message, /c\.yaml:4:decisions\.synchronus: unknown key/);
  }
});
