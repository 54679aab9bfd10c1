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
const BEYOND_FORM = /['"`<>();#|\\\s]|--|\/\*/;

/**
 * Whether a value variant goes to libinjection. A value whose only gate characters are `=` and `&` — a URL with
 * a query (`Referer`, `?next=`), a signature header (`t=…,v1=…`), a form-encoded string — is judged the way the
 * request's own query string is: split into `name=value` pairs (first `=`, `+` as space, percent-decoded) and
 * sent whole only if a name or value needs libinjection on its own. `?id=1+or+1=1` still goes (its value
 * `1 or 1=1` holds `=`); `https://app.example.com/orders/12?tab=billing` no longer costs a libddwaf call.
 */
export function needsLibinjection(v: string): boolean {
  if (!WAF_GATE.test(v)) return false;
  if (BEYOND_FORM.test(v)) return true;
  const q = v.indexOf('?');
  const head = q === -1 ? '' : v.slice(0, q);
  if (head.includes('=') || head.includes('&')) return true;
  for (const pair of (q === -1 ? v : v.slice(q + 1)).split('&')) {
    const eq = pair.indexOf('=');
    if (eq === -1 ? WAF_GATE.test(urlDecode(pair, true)) : formPartNeeds(pair, eq)) return true;
  }
  return false;
}

function formPartNeeds(pair: string, eq: number): boolean {
  return WAF_GATE.test(urlDecode(pair.slice(0, eq), true)) || WAF_GATE.test(urlDecode(pair.slice(eq + 1), true));
}
