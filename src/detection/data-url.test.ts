import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataUrlContent } from './data-url.ts';

test('the content of a data: URL, base64 or percent-encoded, bounded', () => {
  const php = Buffer.from('<?php system($_GET["c"]); ?>').toString('base64');
  assert.equal(dataUrlContent(`data:image/png;base64,${php}`, 8192), '<?php system($_GET["c"]); ?>');
  assert.equal(dataUrlContent(`  DATA:image/png;name=a.png;base64,${php}`, 8192), '<?php system($_GET["c"]); ?>');
  assert.equal(dataUrlContent('data:,Hello%2C%20World%21', 8192), 'Hello, World!');
  assert.equal(dataUrlContent('data:text/plain;charset=utf-8,<b>x</b>', 8192), '<b>x</b>');
  assert.equal(dataUrlContent(`data:image/png;base64,${php}`, 5), '<?php');
  // A form decoder turned base64's `+` into spaces.
  const plus = Buffer.from('>>>?').toString('base64');
  assert.equal(dataUrlContent(`data:;base64,${plus.replaceAll('+', ' ')}`, 8192), '>>>?');
});

test('any other value, an empty data: URL or no room for file bytes is not one', () => {
  for (const v of ['', 'database', 'https://data.example.com/x', 'data:', 'data:image/png;base64,', 'my data: 42'])
    assert.equal(dataUrlContent(v, 8192), undefined, v);
  assert.equal(dataUrlContent('data:,x', 0), undefined);
});
