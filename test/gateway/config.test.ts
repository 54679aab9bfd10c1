import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../helpers/cli.ts';

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pc-config-')), 'portcullis.yaml');
  writeFileSync(file, text);
  return file;
}

describe('configuration errors exit with code 2 and say file:key: what is wrong, what to do', () => {
  test('unknown keys and bad values are all reported, with their line', async () => {
    const file = configFile(
      [
        'listen: nowhere',
        'upstream:',
        '  url: ftp://x',
        '  conections: 3',
        'mode: strict',
        'limits:',
        '  maxBodyBytes: -1',
      ].join('\n'),
    );
    const r = await runCli(['start', '--config', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /PC_ERR_CONFIG_INVALID/);
    assert.match(r.stderr, new RegExp(`${file}:1:listen: must be HOST:PORT`));
    assert.match(r.stderr, new RegExp(`${file}:3:upstream.url: must be an http:// or https:// URL`));
    assert.match(r.stderr, new RegExp(`${file}:4:upstream.conections: unknown key; remove it or fix its spelling`));
    assert.match(r.stderr, new RegExp(`${file}:5:mode: .*; use one of: enforce, monitor`));
    assert.match(r.stderr, new RegExp(`${file}:7:limits.maxBodyBytes: .*; use at least 1`));
  });

  test('a bad flag value is reported under the flag', async () => {
    const r = await runCli(['start', '--mode', 'loud', '--trust-proxy', '10.0.0.0/99']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--mode: .*use one of: enforce, monitor/);
    assert.match(r.stderr, /--trust-proxy: must be an IP address or CIDR/);
  });

  test('an unknown flag is an error', async () => {
    const r = await runCli(['start', '--lisen', '1.2.3.4:5']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /PC_ERR_CONFIG_FLAG/);
  });

  test('YAML syntax errors name the line', async () => {
    const r = await runCli(['start', '--config', configFile('upstream:\n  url: [oops\n')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /PC_ERR_CONFIG_PARSE/);
  });

  test('a missing config file is reported with its path', async () => {
    const r = await runCli(['start', '--config', '/nonexistent/portcullis.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\/nonexistent\/portcullis\.yaml: cannot read/);
  });
});

describe('help', () => {
  test('portcullis --help lists the commands', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    for (const c of ['start', 'demo', 'decisions', 'explain', 'replay', 'simulate'])
      assert.match(r.stdout, new RegExp(`\\n  ${c}`));
  });

  test('portcullis start --help documents every flag', async () => {
    const r = await runCli(['start', '--help']);
    assert.equal(r.code, 0);
    for (const flag of [
      '--config',
      '--listen',
      '--upstream',
      '--admin',
      '--data-dir',
      '--mode',
      '--trust-proxy',
      '--disable',
    ]) {
      assert.ok(r.stdout.includes(flag), `${flag} is documented`);
    }
  });

  test('an unknown command exits 2', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
  });
});
