import { parseForm } from './form.ts';

/**
 * libinjection needs something to tokenise as SQL or HTML beyond words: a quote, bracket, operator, comment or
 * statement end. Values without one are not worth a libddwaf call (~6 µs fixed plus ~2 µs a string, measured
 * with @datadog/native-appsec 11 on this machine).
 */
// An apostrophe inside a word (O'Brien, don't) does not count: prose is full of them, and a quote that opens or
// closes a string context has a non-letter on one side.
const WAF_GATE = /(?<!\p{L})'|'(?!\p{L})|["`<>()=;#|&\\]|--|\/\*/u;

/** The gate alone, without the form-shaped split: the reference path (`InspectorOptions.prefilters: false`). */
export const hasLibinjectionSyntax = (v: string): boolean => WAF_GATE.test(v);

/**
 * The gate without the form delimiters `=` and `&`, plus whitespace (a query string or URL on the wire has none)
 * and any apostrophe: the in-word leniency is for prose, and `var=a'or'a` is the classic bypass, not prose.
 */
const BEYOND_FORM = /['"`<>();#|\\\s]|--|\/\*/;

/**
 * Two header shapes that hold `;`, `=`, `--` or a space for libinjection to tokenise and never anything it flags:
 * a multipart Content-Type whose boundary is letters, digits, `_` and `-` (what browsers, curl and HTTP libraries
 * generate, unquoted: `boundary="and"` is flagged; random per request, so never in the clean-value cache), and a
 * webhook signature `t=<digits>,v1=<hex>`.
 * Each was a libddwaf call (~20 µs in place) on 6 % of the generator's requests. Checked against libinjection on
 * 600,000 random instances with SQL and HTML words and `--` runs in the boundary: none flagged; waf-gate.test.ts
 * keeps a share of that check. The regex rules still run on both.
 */
const MULTIPART_TYPE = /^multipart\/(?:form-data|mixed|related|alternative); ?boundary=[\w-]{1,70}$/i;
const WEBHOOK_SIGNATURE = /^t=\d{1,12}(?:,v\d=[0-9a-f]{16,128}){1,4}$/;

/**
 * Two shapes libinjection flags that are never SQL or HTML:
 * - WooCommerce's session cookie (`42||1702148400||1702144800||5f…`, a customer id, two expiry times and a hash
 *   joined by `||`) on every logged-in shopper's request: exactly that shape, since `-1||1` is SQL;
 * - a UI label of the form "Verb (count noun)" (`Delete (2 selected)`, `Update (3 new)`, `EXEC (Executable file)`)
 *   as click analytics and translation tools send them: one capitalised SQL verb, words, one parenthesised group
 *   of words or digits, no quote, operator or other SQL keyword (`sort=case when (select …)` is ORDER BY
 *   injection).
 */
const WOOCOMMERCE_SESSION = /^[\w-]{1,64}\|\|\d{9,11}\|\|\d{9,11}\|\|[0-9a-f]{16,64}$/;
const UI_LABEL = /^\p{Lu}[\p{L}]{1,15}(?: [\p{L}\d][\p{L}\d-]{0,31}){0,4} \((?!\s)[\p{L}\d -]{1,40}\)(?: [\p{L}\d][\p{L}\d-]{0,31}){0,4}[?.!]?$/u;
const SQL_AFTER_VERB =
  /\b(?:from|where|union|select|into|values|set|and|or|xor|not|order|group|having|limit|sleep|benchmark|waitfor|exec|table|null|like|case|when|then|exists|if)\b/i;

/** What may stand before the `?` of a URL whose query is split: `scheme://host`, a path, or both. */
const URL_HEAD = /^(?:[a-z][a-z\d+.-]*:\/\/[^/?=&]+(?:\/[^?=&]*)?|\/[^?=&]*)$/i;
/** A form field name as clients write them (`tab`, `utm_source`, `filter[status]`, `a.b-c`). */
const FIELD_NAME = /^[\w.\-[\]]+$/;
const EMPTY_PAIR = /(?:^|&)(?:&|$)/;

/**
 * Whether a value variant goes to libinjection. A URL with a query (`Referer`, `?next=`) whose only gate
 * characters are the query's `=` and `&` is judged the way the request's own query string is: split into
 * `name=value` pairs (first `=`, `+` as space, percent-decoded) and sent whole only if a value needs libinjection
 * on its own. `?id=1+or+1=1` still goes (its value `1 or 1=1` holds `=`);
 * `https://app.example.com/orders/12?tab=billing` no longer costs a libddwaf call.
 *
 * The split is sound only where `=` and `&` can be nothing but form delimiters, since an application may use the
 * value whole (a JSON field, a header it logs into SQL) and libinjection reads them as operators: `1&&1=1` is SQL
 * (an empty pair), `onload=x` and `?./onload=x` are an HTML event handler (a name that is not a plain field name),
 * and a bare `a=b&c=d` without a URL head is just as ambiguous. Each of those goes whole. Checked against
 * libinjection on the whole value by `waf-gate.test.ts` (random form-shaped values, none lost).
 */
export function needsLibinjection(v: string): boolean {
  if (!hasLibinjectionSyntax(v)) return false;
  if (MULTIPART_TYPE.test(v) || WEBHOOK_SIGNATURE.test(v)) return false;
  if (WOOCOMMERCE_SESSION.test(v) || (UI_LABEL.test(v) && !SQL_AFTER_VERB.test(v.slice(v.indexOf(' '))))) return false;
  if (BEYOND_FORM.test(v)) return true;
  const q = v.indexOf('?');
  if (q === -1 || !URL_HEAD.test(v.slice(0, q))) return true;
  const query = v.slice(q + 1);
  // An empty pair (`&&`, a leading or trailing `&`, nothing after `?`) is SQL's `&&`; parseForm drops it.
  if (EMPTY_PAIR.test(query)) return true;
  // A bare word (`?flag&x=1`) is a field name too: parseForm gives it an empty value.
  return parseForm(query, Infinity).pairs.some(([name, value]) => !FIELD_NAME.test(name) || WAF_GATE.test(value));
}
