import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskHtmlCode } from './html-code.ts';

test('pre and code elements of rich text are blanked, tags included, the rest kept in place', () => {
  const post = '<p>Run:</p><pre><code class="language-bash">ls -la &amp;&amp; cd app</code></pre>\n<p>then <code>npm test</code>.</p>';
  const masked = maskHtmlCode(post)!;
  assert.equal(masked.length, post.length);
  assert.equal(masked.replace(/ +/g, ' '), '<p>Run:</p> \n<p>then .</p>');
  assert.equal(maskHtmlCode('<P>x</P><CODE>ls; id</CODE>')?.includes('ls'), false, 'tags in any case');
});

test('a value that is one code element, or has no rich text beside it, is not masked', () => {
  assert.equal(maskHtmlCode('<pre><code>ls; cat /etc/passwd</code></pre>'), undefined);
  assert.equal(maskHtmlCode('x <code>; id</code> y'), undefined);
  assert.equal(maskHtmlCode('<p>no code here</p>'), undefined);
});

test('templates, substitutions, unclosed and overlong elements stay', () => {
  for (const inner of ['${x}', '$(id)', '`id`'])
    assert.equal(maskHtmlCode(`<p>a</p><code>${inner}</code>`), undefined, inner);
  assert.equal(maskHtmlCode('<p>a</p><code>; id'), undefined);
  assert.equal(maskHtmlCode(`<p>a</p><code>${'x'.repeat(20_000)}</code>`), undefined);
});

test('only the element is masked: what follows its closing tag is not', () => {
  const masked = maskHtmlCode('<p>x</p><pre>a</pre>; cat /etc/passwd')!;
  assert.match(masked, /; cat \/etc\/passwd$/);
});

test('thousands of unclosed openings are one pass', () => {
  const t0 = process.hrtime.bigint();
  maskHtmlCode(`<p>x</p>${'<code>a'.repeat(20_000)}</code>`);
  maskHtmlCode(`<p>x</p>${'<pre>'.repeat(20_000)}`);
  // A ReDoS guard, not a speed target.
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 200);
});

test('a review: quote break-outs and closing tags with spaces are not masked', () => {
  // An application that puts the value between quotes in a shell line runs what follows the quote.
  for (const inner of ['"; id; echo "', "'; cat /etc/passwd; echo '", '"); id #', "'\nid\n'"])
    assert.equal(maskHtmlCode(`<p>a</p><code>${inner}</code>`), undefined, inner);
  // `</code >` closes the element for a browser; the masked region must end there, not at a later `</code>`.
  const masked = maskHtmlCode('<p>a</p><code>x</code >"; id; echo "</code>')!;
  assert.match(masked, /"; id; echo "<\/code>$/);
});

test('elements skipped for what they hold are read once', () => {
  const t0 = process.hrtime.bigint();
  maskHtmlCode(`<p>x</p>${'<code>'.repeat(2700)}${'${</code>'.repeat(10_000)}`);
  maskHtmlCode(`<p>x</p>${'<pre><code>`'.repeat(10_000)}</code></pre>`);
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 100);
});
