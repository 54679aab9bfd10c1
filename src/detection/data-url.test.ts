import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDataUrl } from './data-url.ts';
import { fileContent } from './file-content.ts';

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

test('decoy openers cannot cut the window of the code after them; past the windows, the file is cut', () => {
  const php = "<?php system($_GET['c']); ?>";
  const oneDecoy = `GIF89a${'A'.repeat(9000)}<!${'A'.repeat(505)}${php}`;
  assert.ok(fileContent(oneDecoy, 8192).text.includes(php));
  const decoys = `GIF89a${'A'.repeat(9000)}${`<!${'A'.repeat(510)}`.repeat(32)}${php}`;
  assert.deepEqual([fileContent(decoys, 8192).text.includes(php), fileContent(decoys, 8192).cut], [true, false]);
  for (const opener of ['<x:script>alert(1)</x:script>', '<iframe src=javascript:alert(1)>', '<\0!\0E\0N\0T\0I\0T\0Y'])
    assert.ok(fileContent(`${'A'.repeat(9000)}${opener}`, 8192).text.includes(opener), opener);
  // A JPEG-phar polyglot: the phar's serialised metadata follows its stub (a ninth review).
  const phar = `\xff\xd8\xff\xe0${'A'.repeat(9000)}__HALT_COMPILER(); ?>\r\n${'\0'.repeat(40)}O:40:"Illuminate\\Broadcasting\\PendingBroadcast":2:{}`;
  assert.ok(fileContent(phar, 8192).text.includes('O:40:"Illuminate'));
  const flood = `${'A'.repeat(9000)}${`<!${'A'.repeat(600)}`.repeat(80)}${php}`;
  assert.equal(fileContent(flood, 8192).cut, true);
});

test('wrapped lines of white or grey pixels are base64, not paths', () => {
  const wrap = (b: Buffer): string => b.toString('base64').match(/.{1,76}/g)!.join('\n');
  for (const fill of [0xff, 0xee]) {
    const bytes = Buffer.concat([Buffer.alloc(3000, fill), Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) & 255))]);
    assert.equal(parseDataUrl(`data:image/bmp;base64,${wrap(bytes)}`, 8192)?.text, 'data:image/bmp;base64,', fill.toString(16));
  }
});

test('a long run of line breaks is linear (a fifth review: 4 s on 120 KB)', () => {
  const v = `data:image/png;base64,A${'\n'.repeat(120_000)}!`;
  const t0 = process.hrtime.bigint();
  assert.equal(parseDataUrl(v, 8192)?.text, v);
  // A ReDoS guard, not a speed target.
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 500);
});
