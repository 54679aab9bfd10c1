import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDataUrl } from './data-url.ts';

const dataUrlContent = (v: string, max: number): string | undefined => parseDataUrl(v, max)?.content || undefined;

test('the content of a data: URL, base64 or percent-encoded, bounded', () => {
  const php = Buffer.from('<?php system($_GET["c"]); ?>').toString('base64');
  assert.equal(dataUrlContent(`data:image/png;base64,${php}`, 8192), '<?php system($_GET["c"]); ?>');
  assert.equal(dataUrlContent(`  DATA:image/png;name=a.png;base64,${php}`, 8192), '<?php system($_GET["c"]); ?>');
  assert.equal(dataUrlContent('data:,Hello%2C%20World%21', 8192), 'Hello, World!');
  assert.equal(dataUrlContent('data:text/plain;charset=utf-8,<b>x</b>', 8192), '<b>x</b>');
  assert.equal(dataUrlContent(`data:image/png;base64,${php}`, 5), '<?php');
  // Whitespace is skipped, as PHP's decoder skips it (a third review: `P D9w…` hid the PHP from us).
  assert.equal(dataUrlContent(`data:image/png;base64,${php.slice(0, 1)} ${php.slice(1)}`, 8192), '<?php system($_GET["c"]); ?>');
});

test('any other value, an empty data: URL or no room for file bytes is not one', () => {
  for (const v of ['', 'database', 'https://data.example.com/x', 'data:', 'data:image/png;base64,', 'my data: 42'])
    assert.equal(dataUrlContent(v, 8192), undefined, v);
  assert.equal(dataUrlContent('data:,x', 0), undefined);
});

test('an opaque data: URL in canonical base64 is its header alone; anything odd keeps its whole text', () => {
  const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
  assert.equal(parseDataUrl(png, 8192)?.text, 'data:image/png;base64,');
  assert.equal(parseDataUrl('data:application/pdf;name=a.pdf;base64,JVBERi0x', 8192)?.text, 'data:application/pdf;name=a.pdf;base64,');
  for (const odd of [
    'data:image/png;base64,=PD9waHAg',
    'data:image/png;base64,PD9w-aHAg',
    'data:image/png;a=1;b=1;c=1;base64,PD9waHAg',
    'data:text/plain;base64,PD9waHAg',
    'data:image/svg+xml;base64,PHN2Zz4=',
    'data:image/png,<script>',
    'data:image/png;base64,P D9waHAg',
    // PHP past the inspected first bytes: the whole text stays, for ssrf.dangerous-scheme.
    `data:image/png;base64,${Buffer.from(`${' '.repeat(9000)}<?=@eval($_GET[0]);`).toString('base64')}`,
  ])
    assert.equal(parseDataUrl(odd, 8192)?.text, odd, odd.slice(0, 60));
  // PHP after a line break or a tab, past the inspected bytes (a fifth review).
  for (const php of ['<?php\nsystem($_GET[0]);', '<?php\teval($_POST[1]);', '<?=\n`$_GET[0]`;']) {
    const url = `data:image/png;base64,${Buffer.from(`${'x'.repeat(9000)}${php}`).toString('base64')}`;
    assert.equal(parseDataUrl(url, 8192)?.text, url, JSON.stringify(php));
  }
  // PHP behind a short tag, a comment or a sign, past the inspected bytes (a sixth review).
  for (const php of ['<?=/**/system($_GET[0])?>', '<?=-system($_GET[0])?>', `<?=${' '.repeat(10)}system($_GET[0])?>`, '<? system($_GET[0]); ?>']) {
    const url = `data:image/png;base64,${Buffer.from(`\x89PNG${'\0'.repeat(8200)}${php}`, 'latin1').toString('base64')}`;
    assert.equal(parseDataUrl(url, 8192)?.text, url, JSON.stringify(php));
  }
  // Android's and MIME's encoders wrap base64 at 76 characters, PEM's at 64.
  const bytes = Buffer.alloc(300, 7).toString('base64');
  for (const width of [64, 76]) {
    const wrapped = bytes.match(new RegExp(`.{1,${width}}`, 'g'))!;
    for (const eol of ['\n', '\r\n'])
      assert.equal(parseDataUrl(`data:image/png;base64,${wrapped.join(eol)}${eol}`, 8192)?.text, 'data:image/png;base64,');
  }
  // Line breaks anywhere else are lines a shell runs; a last line that could be a command keeps the text too.
  for (const odd of [
    'data:image/png;base64,iVBORw0KGgo\nid\n',
    'data:image/png;base64,iVBORw0KGgo\n/tmp/x\n',
    'data:image/jpeg;base64,AAAA\nreboot',
    `data:image/png;base64,${'A'.repeat(76)}\n/sbin/reboot`,
    `data:image/png;base64,${'A'.repeat(76)}\nshutdown`,
    `data:image/png;base64,${'A'.repeat(76)}\n${'A'.repeat(40)}\n${'A'.repeat(76)}`,
    // A seventh review: a full middle line can be a path too.
    `data:image/png;base64,${'A'.repeat(64)}\n${'/'.repeat(53)}sbin/reboot\nAAAA`,
  ])
    assert.equal(parseDataUrl(odd, 8192)?.text, odd, JSON.stringify(odd.slice(0, 40)));
});

test('past the first bytes, a window at each place where code starts: PHP 70 KB into an image is read', () => {
  const php = '<?=include"data:;base64,PD9waHAgc3lzdGVtKCRfR0VUWzBdKTs/Pg=="?>';
  const url = `data:image/png;base64,${Buffer.concat([Buffer.from('\x89PNG', 'latin1'), Buffer.alloc(70_000), Buffer.from(php)]).toString('base64')}`;
  const content = parseDataUrl(url, 8192)!.content;
  assert.ok(content.includes(php));
  assert.ok(content.length < 8192 + 600);
});

test('a long run of line breaks is linear (a fifth review: 4 s on 120 KB)', () => {
  const v = `data:image/png;base64,A${'\n'.repeat(120_000)}!`;
  const t0 = process.hrtime.bigint();
  assert.equal(parseDataUrl(v, 8192)?.text, v);
  // A ReDoS guard, not a speed target.
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 500);
});
