/**
 * The text libinjection is given for a value. libinjection judges HTML by its tags and attributes, not by what a
 * browser would run, so markup that rich-text editors and email builders write every day was critical: a pasted
 * picture, a CSS background, the `<meta charset>` a browser pastes from Google Docs, an email's `<!DOCTYPE html>`,
 * its `<style>` of media queries, Outlook's conditional comments, a Google Fonts stylesheet. Each harmless form is
 * renamed letter for letter so that libinjection stops flagging it — renamed, not removed: removing text moved
 * libinjection's view of what surrounds it (a review had `<a title=url(x) href="javascript:…">` read as
 * `title= href=…`, and `url('or-1=-1--')` vanish as SQL), while a renamed word leaves every quote, bracket and
 * attribute where it was. The regex rules still see the value as it came.
 *
 * Bounded quantifiers only, no nested ones: linear in the text up to a constant (redos-modules.test.ts).
 */
import { htmlEntityDecode } from './decode.ts';

/**
 * A raster image inlined as base64 (`data:image/png;base64,iVBOR…`), as rich-text editors store pasted pictures.
 * No browser runs a PNG, JPEG, GIF, WebP, AVIF, BMP or icon, wherever it is placed, and none is sniffed as HTML;
 * libinjection flags every `data:` URL in an attribute, so each `<img>` an editor sent was critical. SVG stays out
 * (it can hold script).
 */
const RASTER_DATA_URL = /data:(?=image\/(?:png|jpe?g|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon);base64,)/gi;

/**
 * A CSS `url(…)` of a web or relative address (`style="background-image: url('https://cdn…/bg.png')"`, as email
 * builders and rich-text editors write): a remote image, like `<img src>`, which libinjection lets through there
 * but flags here. No scheme other than http(s) is taken, and no `:` after it, so `url(javascript:…)` stays; nor
 * a parenthesis, so the match cannot reach past its own `)`. IE's `behavior:` and Firefox's `-moz-binding:` load
 * script from that address, so a `url(…)` after either stays, and so does one naming an SVG, HTC, XML, XBL, XSL
 * or script file (html5sec.org's vectors: browsers that ran script in an SVG background).
 */
const CSS_URL = /url\(\s{0,8}(["']|&quot;|&#0*39;|&apos;)?(?:https?:\/\/)?[\w\-./?=&%#~+,@!]{1,2048}\1\s{0,8}\)/gi;
const SCRIPT_FILE = /\.(?:svgz?|htc|xml|xbl|xslt?|m?js)\b/i;
const SCRIPT_LOADER = /(?:behavior|binding)\s{0,8}:\s{0,8}$/i;

/**
 * An opening `<meta>` or `<link>` tag, its attributes read the way HTML reads them: a quoted value may hold `>`
 * (`name="x>"`), so the tag ends at the first `>` outside quotes.
 */
const HEAD_TAG = /<(meta|link)((?:\s{1,64}[^\s"'<>/=]{1,64}(?:\s{0,64}=\s{0,64}(?:"[^"<]{0,1024}"|'[^'<]{0,1024}'|[^\s"'<>]{1,1024}))?){0,16})\s{0,64}\/?>/gi;
const ATTRIBUTE = /([^\s"'>/=]{1,64})(?:\s{0,64}=\s{0,64}(?:"([^"]{0,1024})"|'([^']{0,1024})'|([^\s"'>]{1,1024})))?/g;
/** More harmless tags than a page's head holds: renaming them is not worth reading them (a flood is not an email). */
const RENAMES_MAX = 32;

/**
 * Whether a `<meta>` or `<link>` is one a page's head carries and nothing else: a meta of charset UTF-8, a name,
 * property or itemprop with content, IE=edge, or a Content-Type of `text/html; charset=utf-8` (not a refresh, which
 * navigates; a Link, which loads a stylesheet; another Content-Type or a UTF-7 charset, which switch the charset); a
 * link to Google Fonts' stylesheet or preconnect, or to a stylesheet of the site's own by a relative path, with one
 * href. An attribute seen twice, or any other attribute, leaves the tag as it is.
 */
function harmlessHeadTag(name: string, attrs: string): boolean {
  const seen = new Map<string, string>();
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(attrs); m !== null; m = ATTRIBUTE.exec(attrs)) {
    const key = m[1]!.toLowerCase();
    if (seen.has(key)) return false;
    seen.set(key, (m[2] ?? m[3] ?? m[4] ?? '').trim().toLowerCase());
  }
  const only = (allowed: readonly string[]) => [...seen.keys()].every((k) => allowed.includes(k));
  if (name === 'meta') {
    if (!only(['charset', 'name', 'content', 'http-equiv', 'property', 'itemprop'])) return false;
    const charset = seen.get('charset');
    if (charset !== undefined && !/^utf-?8$/.test(charset)) return false;
    const equiv = seen.get('http-equiv');
    if (equiv === undefined) return true;
    // The Content-Type every email builder writes restates the default; another charset (UTF-7) stays.
    if (equiv === 'content-type') return /^text\/html;\s*charset=utf-?8$/.test(seen.get('content') ?? '');
    return equiv === 'x-ua-compatible' && /^ie=edge(?:,\s*chrome=1)?$/.test(seen.get('content') ?? '');
  }
  if (!only(['rel', 'href', 'crossorigin', 'type'])) return false;
  const rel = seen.get('rel') ?? '';
  const href = seen.get('href') ?? '';
  return (
    /^(?:text\/css)?$/.test(seen.get('type') ?? '') &&
    ((/^(?:stylesheet|preconnect)$/.test(rel) && /^https:\/\/fonts\.(?:googleapis|gstatic)\.com\/[\w./?=&:;@%+,-]*$/.test(href)) ||
      // A stylesheet of the page's own site, by a relative path (an email template's `../assets/css/app.css`).
      (rel === 'stylesheet' && /^(?![\w+.-]*:|\/\/)[\w./-]{1,256}\.css(?:\?[\w=&.-]{0,64})?$/.test(href)))
  );
}

/**
 * An HTML doctype without an internal subset (`<!DOCTYPE html>`, the XHTML PUBLIC ones), and the cut-off one of the
 * browser's most common fetch error (`Unexpected token '<', "<!DOCTYPE "... is not valid JSON`, its quote escaped
 * when libinjection reads a whole JSON body). Any other (an XML
 * document's, naming its own DTD) stays as it is.
 */
const DOCTYPE = /<!doctype(?=\s{1,8}html\b[^>[]{0,512}>|\s{0,8}\\?["'.…]|\s{0,8}$)/gi;
/** An XML declaration cut off before its `?>` (`"<?xml vers"... is not valid JSON`); whole ones are removed. */
const XML_DECLARATION_CUT = /<\?xml(?=\s{1,8}v)/gi;
/**
 * A generic type or a component name (`List<Object>`, `Map<String, Embed>`, "wrap it in <Form> and use <Link>"), as
 * developers write in tickets and chat: a tag without attributes, which loads and runs nothing, but which
 * libinjection reads as `<object>` or `<form>`. Its brackets become `‹›`. Only capitalised names (editors and
 * browsers write tags in lower case), never Script or Style (their content is code), and only where the value
 * closes no tag of that name (`</Form>`): HTML closes what it opens.
 */
const GENERIC_TYPE =
  /<((?![Ss][Cc][Rr][Ii][Pp][Tt]\b|[Ss][Tt][Yy][Ll][Ee]\b)[A-Z]\w{0,63}(?:\s{0,4},\s{0,4}[A-Z]\w{0,63}){0,8})>/g;
/** An IE or Outlook conditional comment (`<!--[if mso]>`): a plain comment to every browser since IE 10. */
const CONDITIONAL_COMMENT = /<!--\[if\b/gi;
/** A CSS comment; taken out before the check, so that one cannot split a keyword past it. */
const CSS_COMMENT = /\/\*[^*]{0,1024}\*+(?:[^/*][^*]{0,1024}\*+){0,16}\//g;
/** A `<style>` block, up to its end. */
const STYLE_BLOCK = /<style\b([^>]{0,256})>([^<]{0,16384})<\/style\s{0,8}>/gi;
/**
 * What a style block (its attributes too) must not hold to count as styling: script in CSS (IE `expression`,
 * `behavior`, Firefox's `-moz-binding`, `javascript:`, Netscape's `type="text/javascript"`), SVG fonts (script in
 * old Opera and Safari), attribute selectors (`input[value^=a]{background:url(…)}` reads a page's data out, one
 * request a character, or `unicode-range` fonts, one a letter), escapes, and imports other than Google Fonts.
 * Comments are taken out first (`expr/**` + `/ession` is `expression`); one left unclosed keeps the block.
 */
const STYLE_DANGER =
  /expression|behavior|binding|script|\\|\/\*|\*\/|\.svg|unicode-range|\b(?:alert|prompt|confirm|eval)\s{0,8}\(|@import(?!\s{0,8}ur[il]\(\s{0,8}["']?https:\/\/fonts\.googleapis\.com\/)/i;
/**
 * Attribute selectors read a page's data out only by loading something per match (`input[value^=a]{background:
 * url(…)}`): with no `url(` or `image-set` in the block they are layout, as every MJML email's
 * `.mj-accordion-checkbox[type="checkbox"]` and Outlook.com's `[owa]` are. Only well-formed ones: any other bracket
 * keeps the block, and so does an `&` (inside `<svg>` a browser decodes entities in a style: `&#117;rl(`).
 */
const ATTRIBUTE_SELECTOR = /\[\s{0,8}[\w-]{1,64}\s{0,8}(?:[~|^$*]?=\s{0,8}(?:"[^"\][\\]{0,256}"|'[^'\][\\]{0,256}'|[\w-]{1,256})\s{0,8}(?:[is]\s{0,8})?)?\]/gi;
/** A bracket left once the attribute selectors are out: `font-family:foo[bar` (html5sec.org #113, IE's CSS parser). */
const STRAY_BRACKET = /[[\]]/;
const STYLE_LOAD = /ur[il]\(|image-set/i;

/** The one `url(` a style block may load and still be styling (`uri(` once CSS_URL has renamed it). */
const GOOGLE_FONTS_IMPORT = /@import\s{0,8}ur[il]\(\s{0,8}["']?https:\/\/fonts\.googleapis\.com\/[^)]{0,512}\)/gi;

/**
 * An attribute value that starts with the letters `data` but is no `data:` URL — a relative link to a page named
 * so (`href="datatype.html"`, `src="data/chart.png"`), as documentation and CMS posts link every day: libinjection
 * flags the prefix without looking for the colon. Its `a` becomes `x`; a real scheme (`data:`, `data :`, with an
 * entity or escape for the colon) keeps it, and the decoded variant is judged as well.
 */
const DATA_PREFIX = /(=\s{0,8}["'`]?\s{0,8})(d)a(ta)(?=[\w./-])(?![\w.-]{0,64}(?::|&(?:colon|#0*58|#x0*3a)|\\(?:x3a|u003a)))/gi;
const DATA_ATTRIBUTE = /=\s{0,8}["'`]?\s{0,8}data[\w./-]/i;

/** Cheap tests for whether a rename can apply at all (one regex object each, not one per call). */
const DATA_IMAGE = /data:image\//i;
const URL_OPEN = /url\(/i;
const HEAD_TAG_OPEN = /<(?:meta|link)/i;
const HEAD_TAG_OPEN_ALL = /<(?:meta|link)/gi;
const DOCTYPE_OPEN = /<!doctype/i;
const DOCTYPE_OPEN_ALL = /<!doctype/gi;
const STYLE_OPEN = /<style/i;
const GENERIC_OPEN = /<[A-Z]/;
const STYLE_OPEN_ALL = /<style/gi;

export function libinjectionText(v: string): string {
  let t = v.indexOf('<?') === -1 ? v : v.replace(/<\?xml[^>]{0,200}\?>/gi, '');
  if (t.length > 24 && DATA_IMAGE.test(t)) t = t.replace(RASTER_DATA_URL, 'mime:');
  if (URL_OPEN.test(t))
    t = t.replace(CSS_URL, (url, _q, at: number) =>
      SCRIPT_FILE.test(url) || SCRIPT_LOADER.test(t.slice(Math.max(0, at - 24), at)) ? url : `uri(${url.slice(4)}`,
    );
  if (t.indexOf('<') === -1) return t;
  if (DATA_ATTRIBUTE.test(t) && fewerThan(t, DATA_PREFIX, RENAMES_MAX)) t = t.replace(DATA_PREFIX, '$1$2x$3');
  if (HEAD_TAG_OPEN.test(t) && fewerThan(t, HEAD_TAG_OPEN_ALL, RENAMES_MAX))
    t = t.replace(HEAD_TAG, (tag, name: string, attrs: string) => {
      const lower = name.toLowerCase();
      return harmlessHeadTag(lower, attrs) ? `<${lower === 'meta' ? 'mexa' : 'lixk'}${tag.slice(5)}` : tag;
    });
  if (DOCTYPE_OPEN.test(t) && fewerThan(t, DOCTYPE_OPEN_ALL, 4)) t = t.replace(DOCTYPE, '<!docxype');
  if (t.includes('<?')) t = t.replace(XML_DECLARATION_CUT, '<?xmx');
  if (GENERIC_OPEN.test(t) && fewerThan(t, GENERIC_TYPE, RENAMES_MAX)) {
    const lower = t.toLowerCase();
    t = t.replace(GENERIC_TYPE, (generic, names: string) =>
      lower.includes(`</${names.split(',')[0]!.trim().toLowerCase()}`) ? generic : `‹${names}›`,
    );
  }
  if (t.includes('<!--[') && fewerThan(t, CONDITIONAL_COMMENT, RENAMES_MAX))
    t = t.replace(CONDITIONAL_COMMENT, '<!--[xf');
  if (STYLE_OPEN.test(t) && fewerThan(t, STYLE_OPEN_ALL, RENAMES_MAX))
    t = t.replace(STYLE_BLOCK, (block, attrs: string, css: string) => {
      const plain = css.replace(CSS_COMMENT, '');
      const selectorsOut = plain.replace(ATTRIBUTE_SELECTOR, '');
      const styling =
        plain.indexOf('&') === -1 &&
        !STYLE_DANGER.test(plain) &&
        !STYLE_DANGER.test(attrs) &&
        !STRAY_BRACKET.test(selectorsOut) &&
        (selectorsOut.length === plain.length || !STYLE_LOAD.test(plain.replace(GOOGLE_FONTS_IMPORT, '')));
      return styling ? `<stxle${attrs}>${css}</stxle>` : block;
    });
  return t;
}

/** Whether `pattern` (global) occurs fewer than `max` times in `text`: counted up to `max`, then stopped. */
function fewerThan(text: string, pattern: RegExp, max: number): boolean {
  let n = 0;
  pattern.lastIndex = 0;
  while (pattern.exec(text) !== null) if (++n >= max) return false;
  return true;
}

/** The opening tag of a `<pre>` or `<code>` element, in lower-cased text. */
const CODE_OPEN = /<(pre|code)\b[^<>]{0,256}>/g;

/**
 * `text` without its `<pre>`/`<code>` elements (up to 64), each found by one forward search for its closing tag:
 * linear in the text, where a lazy regex re-scanned the rest of the value from every opening tag.
 */
function withoutCodeElements(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  let at = 0;
  CODE_OPEN.lastIndex = 0;
  for (let n = 0; n < 64; n++) {
    const m = CODE_OPEN.exec(lower);
    if (m === null) break;
    const close = lower.indexOf(`</${m[1]!}`, CODE_OPEN.lastIndex);
    const end = close === -1 ? -1 : lower.indexOf('>', close);
    if (end === -1) break;
    out += `${text.slice(at, m.index)} `;
    at = end + 1;
    CODE_OPEN.lastIndex = at;
  }
  return out + text.slice(at);
}

/**
 * Escaped tags whose danger (loading CSS, switching the charset) only libinjection judges, in their working shapes:
 * lower case as browsers' HTML is written (`&lt;Link to=…&gt;` is a React component), a link to a stylesheet, a
 * style with a rule block, a meta with a charset or http-equiv.
 */
const ESCAPED_LIBINJECTION_ONLY =
  /&lt;\s{0,8}(?:link\b[^<>&]{0,256}?stylesheet|style\b[^<>&]{0,128}&gt;[^<&]{0,512}\{|meta\b[^<>&]{0,256}?(?:http-equiv|charset))/;

/** IE's XML data islands rendered their escaped content as HTML (`<XML ID=0><B>&lt;IMG SRC=…&gt;`). */
const XML_ISLAND = /<xml[\s>]/i;

/** A real tag: what makes a value an HTML fragment (rich text, an email) rather than text that mentions one. */
const HTML_TAG = /<(?:[a-z][\w-]{0,16}(?:\s[^<>]{0,512})?|\/[a-z][\w-]{0,16}\s{0,8})>/i;

/**
 * The texts libinjection is given for a value's variants: `both` for its SQLi and XSS operators, `sqliOnly` for SQLi
 * alone. An HTML fragment shows `&lt;object&gt;` as text: its entity-decoded variant is markup no browser builds from
 * it, and libinjection's XSS check flagged every code sample a post or a help article escapes that way
 * (`<code>&lt;base&gt;</code>`). So when the value as received holds real tags, a variant that is nothing but its
 * entity decoding goes to the SQLi check only (an application may decode entities before its SQL: `<i>a</i>
 * admin&#39;--`). A variant any other decoding changed (URL, `\u` escapes, a second round of entities) goes to
 * both, and so does every variant of a value without tags, with an XML data island, or with entities in a `<style>`
 * (inside `<svg>` a browser decodes them there: `<svg><style>&#64;import …`). The regex rules read every variant.
 */
/** Shared by every value with no SQLi-only variant (nearly all): no array made per value. */
const NONE: readonly string[] = [];

export function libinjectionTexts(variants: readonly string[]): { both: string[]; sqliOnly: readonly string[] } {
  const raw = variants[0];
  if (
    variants.length === 1 ||
    raw === undefined ||
    raw.indexOf('&') === -1 ||
    !HTML_TAG.test(raw) ||
    XML_ISLAND.test(raw) ||
    STYLE_OPEN.test(raw)
  )
    return { both: variants.map(libinjectionText), sqliOnly: NONE };
  // Escaped markup only libinjection judges (a stylesheet link, a style block with rules, a charset or http-equiv
  // meta) stays with its XSS check outside code elements: no regex rule would see it in an application that
  // decodes entities before rendering. Inside `<code>`/`<pre>` it is a documentation sample (Bootstrap's CDN link).
  if (ESCAPED_LIBINJECTION_ONLY.test(raw) && ESCAPED_LIBINJECTION_ONLY.test(withoutCodeElements(raw)))
    return { both: variants.map(libinjectionText), sqliOnly: NONE };
  const entityOnly = htmlEntityDecode(raw);
  const both: string[] = [];
  const sqliOnly: string[] = [];
  variants.forEach((v, i) => (i > 0 && v === entityOnly ? sqliOnly : both).push(libinjectionText(v)));
  return { both, sqliOnly };
}
