import { createHash } from 'node:crypto';

/**
 * Portcullis HTTP fingerprint ("PHF1"), our own scheme (JA4H is under the FoxIO licence; see docs/fingerprints.md).
 * It describes how a client stack writes a request, not what it asks for:
 *
 *   http:<ver><case><cookie><nn>_<accept>-<encodings>-<lang>-f<fetch>c<hints>_<order>
 *        11   t     n       04  _ s      - gd        - n    - f0c0         _ 3f1c09a2b4d1
 *
 *   ver      10 | 11 | 20 (HTTP version of the request)
 *   case     l: every header name lower-case · t: every name Title-Case · m: mixed (Chrome's h1 mix of
 *            `sec-ch-ua` and `Sec-Fetch-Site`) — HTTP/2 forces lower case, so h2 requests are always `l`
 *   cookie   c: a Cookie header is present · n: none
 *   nn       number of names in <order>, two digits, capped at 99
 *   accept   n: absent · s: only "*" + "/*" (any type) · h: offers text/html · j: application/json first · o: other
 *   encodings one letter per Accept-Encoding token in order (g gzip, d deflate, b br, z zstd, i identity,
 *            c compress, a *, x other); n when absent
 *   lang     Accept-Language shape: n absent · w `*` · 1 one tag · l list · q list with q-values
 *   fetch    count of sec-fetch-* headers · hints: count of sec-ch-ua* headers (browser-only headers)
 *   order    sha256 (12 hex) of the lower-cased names in arrival order, request-specific names removed
 *
 * Names that depend on the request rather than the stack (body framing, credentials, caching, proxies) are left
 * out of <order> so one stack keeps one fingerprint across GETs, POSTs and logins.
 */

const VOLATILE = new Set([
  'cookie',
  'authorization',
  'content-length',
  'content-type',
  'transfer-encoding',
  'referer',
  'origin',
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
  'if-range',
  'range',
  'cache-control',
  'pragma',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-real-ip',
  'via',
  'content-encoding',
  'expect',
]);

const ENCODINGS: Readonly<Record<string, string>> = {
  gzip: 'g',
  'x-gzip': 'g',
  deflate: 'd',
  br: 'b',
  zstd: 'z',
  identity: 'i',
  compress: 'c',
  '*': 'a',
};

function caseOf(name: string): 'l' | 't' | 'm' {
  if (name === name.toLowerCase()) return 'l';
  // Title-Case: each hyphen-separated word starts upper-case and continues lower-case (User-Agent, Accept).
  return /^(?:[A-Z][a-z0-9]*)(?:-[A-Z][a-z0-9]*)*$/.test(name) ? 't' : 'm';
}

export function acceptShape(v: string | undefined): string {
  if (v === undefined) return 'n';
  const t = v.trim();
  if (t === '*/*') return 's';
  if (t.includes('text/html')) return 'h';
  if (t.startsWith('application/json')) return 'j';
  return 'o';
}

export function encodingShape(v: string | undefined): string {
  if (v === undefined) return 'n';
  let out = '';
  for (const token of v.split(',')) {
    const name = token.split(';')[0]!.trim().toLowerCase();
    if (name !== '') out += ENCODINGS[name] ?? 'x';
  }
  return out === '' ? 'n' : out;
}

export function languageShape(v: string | undefined): string {
  if (v === undefined) return 'n';
  const t = v.trim();
  if (t === '*') return 'w';
  if (!t.includes(',')) return '1';
  return t.includes(';q=') ? 'q' : 'l';
}

function two(n: number): string {
  return n > 99 ? '99' : n.toString().padStart(2, '0');
}

/** Built-once cache: stacks are few, so almost every request is a lookup (style rule 6). Cleared when full. */
const CACHE_MAX = 20_000;
const cache = new Map<string, string>();

/**
 * Fingerprint of one request, from Node's `rawHeaders` (names as sent, in order) and `httpVersion`.
 * Returns the facet value (without the `http:` prefix).
 */
export function httpFingerprint(rawHeaders: readonly string[], httpVersion: string): string {
  let names = '';
  let count = 0;
  let caseMark: 'l' | 't' | 'm' | '' = '';
  let cookie = 'n';
  let fetch = 0;
  let hints = 0;
  let accept: string | undefined;
  let encoding: string | undefined;
  let language: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const raw = rawHeaders[i]!;
    const name = raw.toLowerCase();
    if (name.startsWith(':')) {
      names += `${name},`; // HTTP/2 pseudo-header order differs between stacks too.
      count++;
      continue;
    }
    const c = caseOf(raw);
    caseMark = caseMark === '' || caseMark === c ? c : 'm';
    if (name === 'cookie') cookie = 'c';
    else if (name === 'accept') accept = rawHeaders[i + 1];
    else if (name === 'accept-encoding') encoding = rawHeaders[i + 1];
    else if (name === 'accept-language') language = rawHeaders[i + 1];
    else if (name.startsWith('sec-fetch-')) fetch++;
    else if (name.startsWith('sec-ch-ua')) hints++;
    if (VOLATILE.has(name)) continue;
    names += `${name},`;
    count++;
  }
  const ver = httpVersion === '1.0' ? '10' : httpVersion === '2.0' ? '20' : '11';
  const head = `${ver}${caseMark || 'l'}${cookie}${two(count)}_${acceptShape(accept)}-${encodingShape(encoding)}-${languageShape(language)}-f${fetch}c${hints}_`;
  const key = head + names;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const fp = head + createHash('sha256').update(names).digest('hex').slice(0, 12);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, fp);
  return fp;
}
