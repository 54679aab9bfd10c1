/**
 * Code quoted the HTML way: a `<pre>` or `<code>` element in rich text, as TinyMCE, CKEditor, Quill and help-desk
 * editors send a post that shows a command (`<pre><code class="language-bash">ls -la &amp;&amp; cd app</code></pre>`).
 * Rules that opt in with `confirm.notInHtmlCode` are lowered only when they no longer match once every such element
 * is blanked out (`maskHtmlCode`), as for Markdown code (markdown-code.ts): a command outside the element keeps
 * its severity, and so does one that a decoded variant carries outside it.
 *
 * Only shell rules opt in. A shell given such a value stops at the markup (`<code>` is a redirection missing its
 * target), but a browser runs `<script>` inside `<code>` and PHP runs `<?php` wherever a file holds it, so markup
 * and code-execution rules never lower here. An element holding `${`, `$(` or a backtick is never masked: a
 * template or a shell substitution runs whatever quotes it (a value put between double quotes in a shell line).
 * Nor is one where a quote is followed by a separator (`"; id; echo "`): that breaks out of the quotes an
 * application puts around a value, and the command after it runs. And the element must stand in rich text — some
 * other block or inline element outside it — since a value that is one `<code>` element is the payload itself.
 *
 * Bounded quantifiers only, no nested ones: linear in the text up to a constant (redos-modules.test.ts).
 */

/** An opening `<pre>` or `<code>` tag with attributes of the plain `name="value"` kind. */
const OPEN = /<(pre|code)(?:\s{1,8}[\w:-]{1,64}(?:\s{0,8}=\s{0,8}(?:"[^"<>]{0,256}"|'[^'<>]{0,256}'|[\w-]{1,64}))?){0,16}\s{0,8}>/gi;
/** Markup of rich text outside the code: what shows the value is a post, not a bare payload. */
const RICH_TEXT = /<(?:p|div|h[1-6]|li|ul|ol|br|span|blockquote|table|strong|em|b|i|a)[\s/>]/i;
/** A closing tag as HTML parsers take it: `</code>`, `</code >`, even `</code x>` (attributes are ignored). */
const CLOSE = { pre: /<\/pre(?=[\s/>])[^>]{0,256}>/gi, code: /<\/code(?=[\s/>])[^>]{0,256}>/gi };
/**
 * A quote, maybe a parenthesis, then a separator or comment: the break-out from a quoted argument
 * (`"; id; echo "`), which runs when an application puts the value between quotes in a shell line.
 */
const QUOTE_BREAKOUT = /["'][\s)]{0,8}[;|&#\n\r]/;
/** Longest element content masked; a longer one is not masked at all. */
const CONTENT_MAX = 16_384;
/** Masking stops after this many elements: a post shows a few, and a value of thousands gets nothing from them. */
const MAX_REGIONS = 256;

/**
 * `text` with every `<pre>`/`<code>` element (tags included) replaced by spaces, line breaks kept; `undefined`
 * when it holds none, or holds no rich text outside them, so callers skip a second match.
 */
export function maskHtmlCode(text: string): string | undefined {
  if (text.length < 12 || !/<(?:pre|code)[\s>]/i.test(text)) return undefined;
  const code: [start: number, end: number][] = [];
  // The next closing tag of each name at or after the last search, remembered: each one is searched for once, so
  // thousands of unclosed openings cost one pass, not one pass each.
  const nextClose = { pre: -2, code: -2 };
  const closeLength = { pre: 0, code: 0 };
  OPEN.lastIndex = 0;
  for (let m = OPEN.exec(text); m !== null && code.length < MAX_REGIONS; m = OPEN.exec(text)) {
    const name = m[1]!.toLowerCase() as 'pre' | 'code';
    const from = m.index + m[0].length;
    if (nextClose[name] !== -1 && nextClose[name] < from) {
      CLOSE[name].lastIndex = from;
      const close = CLOSE[name].exec(text);
      nextClose[name] = close?.index ?? -1;
      closeLength[name] = close?.[0].length ?? 0;
    }
    const end = nextClose[name];
    if (end === -1) continue;
    if (end - from > CONTENT_MAX) continue;
    const stop = end + closeLength[name];
    // Openings inside an element that is not masked are its text: not searched again (one pass, not one a tag).
    OPEN.lastIndex = stop;
    const content = text.slice(from, end);
    if (content.includes('${') || content.includes('$(') || content.includes('`') || QUOTE_BREAKOUT.test(content))
      continue;
    code.push([m.index, stop]);
  }
  if (code.length === 0) return undefined;
  let out = '';
  let outside = '';
  let at = 0;
  for (const [start, end] of code) {
    outside += text.slice(at, start);
    out += text.slice(at, start) + text.slice(start, end).replace(/[^\n]/g, ' ');
    at = end;
  }
  outside += text.slice(at);
  return RICH_TEXT.test(outside) ? out + text.slice(at) : undefined;
}
