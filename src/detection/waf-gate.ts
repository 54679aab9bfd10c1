import { urlDecode } from './decode.ts';

/*
 * Plain values (letters, digits, `_.@:+-`) never reach libinjection: without a quote, parenthesis, operator or
 * comment a value cannot change a query's structure, and libinjection's fingerprints misfire on such prose
 * (`john or@var.es`). Plain `UNION SELECT` forms are caught by the `plain` regex rules instead.
 */
/**
 * libinjection needs something to tokenise as SQL or HTML beyond words: a quote, bracket, operator, comment or
 * statement end. Values without one are not worth a libddwaf call (~6 µs fixed plus ~2 µs a string, measured
 * with @datadog/native-appsec 11 on this machine).
 */
// An apostrophe inside a word (O'Brien, don't) does not count: prose is full of them, and a quote that opens or
// closes a string context has a non-letter on one side.
const WAF_GATE = /(?<!\p{L})'|'(?!\p{L})|["`<>()=;#|&\\]|--|\/\*/u;
/**
 * The gate without the form delimiters `=` and `&`, plus whitespace (a query string or URL on the wire has none)
 * and any apostrophe: the in-word leniency is for prose, and `var=a'or'a` is the classic bypass, not prose.
 */
/** The gate alone, without the form-shaped split: the reference path (`InspectorOptions.prefilters: false`). */
export const hasLibinjectionSyntax = (v: string): boolean => WAF_GATE.test(v);

const BEYOND_FORM = /['"`<>();#|\\\s]|--|\/\*/;

/** What may stand before the `?` of a URL whose query is split: `scheme://host`, a path, or both. */
const URL_HEAD = /^(?:[a-z][a-z\d+.-]*:\/\/[^/?=&]+(?:\/[^?=&]*)?|\/[^?=&]*)$/i;
/** A form field name as clients write them (`tab`, `utm_source`, `filter[status]`, `a.b-c`). */
const FIELD_NAME = /^[\w.\-[\]]+$/;

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
  if (BEYOND_FORM.test(v)) return true;
  const q = v.indexOf('?');
  if (q === -1 || !URL_HEAD.test(v.slice(0, q))) return true;
  for (const pair of v.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq === -1) {
      // A bare word between delimiters (`?flag&x=1`) is a field name too; an empty one means `&&`.
      if (!FIELD_NAME.test(urlDecode(pair, true))) return true;
    } else {
      if (!FIELD_NAME.test(urlDecode(pair.slice(0, eq), true))) return true;
      if (WAF_GATE.test(urlDecode(pair.slice(eq + 1), true))) return true;
    }
  }
  return false;
}
