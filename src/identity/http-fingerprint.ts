import { createHash } from 'node:crypto';
import { Memo } from '../core/memo.ts';

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

/** l: lower-case · t: Title-Case (each hyphen-separated word capitalised, e.g. User-Agent) · m: anything else. */
function caseOf(name: string): 'l' | 't' | 'm' {
  let lower = true;
  let title = true;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    if (upper) lower = false;
    const wordStart = i === 0 || name.charCodeAt(i - 1) === 45;
    if (wordStart ? c >= 97 && c <= 122 : upper) title = false;
  }
  return lower ? 'l' : title ? 't' : 'm';
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

enum Kind {
  Other = 0,
  Cookie = 1,
  Accept = 2,
  Encoding = 3,
  Language = 4,
  Fetch = 5,
  Hints = 6,
}

/** What one header name contributes, computed once per distinct raw name (names are a small set). */
interface NameInfo {
  readonly lower: string;
  readonly mark: 'l' | 't' | 'm' | 'p';
  readonly kind: Kind;
  readonly inOrder: boolean;
  /** Two independent 32-bit FNV-1a hashes of `lower`, chained per request into a 53-bit cache key. */
  readonly h: number;
  readonly g: number;
}

function fnv(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const KINDS: Readonly<Record<string, Kind>> = {
  cookie: Kind.Cookie,
  accept: Kind.Accept,
  'accept-encoding': Kind.Encoding,
  'accept-language': Kind.Language,
};

function nameInfo(raw: string): NameInfo {
  const lower = raw.toLowerCase();
  const pseudo = lower.startsWith(':');
  const kind =
    KINDS[lower] ??
    (lower.startsWith('sec-fetch-') ? Kind.Fetch : lower.startsWith('sec-ch-ua') ? Kind.Hints : Kind.Other);
  return {
    lower,
    mark: pseudo ? 'p' : caseOf(raw),
    kind,
    inOrder: pseudo || !VOLATILE.has(lower),
    h: fnv(lower, 0x811c9dc5),
    g: fnv(lower, 0x9747b28c),
  };
}

/** Caches are built as traffic arrives and emptied when full, so hostile input cannot grow them (style rule 6). */
const names = new Memo<NameInfo>(4096);
const encodings = new Memo<string>(1024);
const fps = new Memo<string>(20_000);

function infoOf(raw: string): NameInfo {
  return names.get(raw, nameInfo);
}

function cachedEncoding(v: string | undefined): string {
  return v === undefined ? 'n' : encodings.get(v, encodingShape);
}

/**
 * Fingerprint of one request, from Node's `rawHeaders` (names as sent, in order) and `httpVersion`.
 * Returns the facet value (without the `http:` prefix). The sha256 of the name order is computed once per
 * distinct (shape, order); the per-request work is a Map lookup per name and a chained FNV.
 */
export function httpFingerprint(rawHeaders: readonly string[], httpVersion: string): string {
  let count = 0;
  let caseMark: 'l' | 't' | 'm' | '' = '';
  let cookie = 'n';
  let fetch = 0;
  let hints = 0;
  let accept: string | undefined;
  let encoding: string | undefined;
  let language: string | undefined;
  let h = 0x811c9dc5;
  let g = 0x9747b28c;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const info = infoOf(rawHeaders[i]!);
    if (info.mark !== 'p') caseMark = caseMark === '' || caseMark === info.mark ? info.mark : 'm';
    switch (info.kind) {
      case Kind.Cookie:
        cookie = 'c';
        break;
      case Kind.Accept:
        accept = rawHeaders[i + 1];
        break;
      case Kind.Encoding:
        encoding = rawHeaders[i + 1];
        break;
      case Kind.Language:
        language = rawHeaders[i + 1];
        break;
      case Kind.Fetch:
        fetch++;
        break;
      case Kind.Hints:
        hints++;
        break;
    }
    if (!info.inOrder) continue;
    h = Math.imul(h ^ info.h, 16777619) >>> 0;
    g = Math.imul(g ^ info.g, 0x5bd1e995) >>> 0;
    count++;
  }
  const ver = httpVersion === '1.0' ? '10' : httpVersion === '2.0' ? '20' : '11';
  const head = `${ver}${caseMark || 'l'}${cookie}${two(count)}_${acceptShape(accept)}-${cachedEncoding(encoding)}-${languageShape(language)}-f${fetch}c${hints}_`;
  const key = `${head}${h * 2097152 + (g & 0x1fffff)}`;
  const hit = fps.peek(key);
  if (hit !== undefined) return hit;
  let order = '';
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const info = infoOf(rawHeaders[i]!);
    if (info.inOrder) order += `${info.lower},`;
  }
  const fp = head + createHash('sha256').update(order).digest('hex').slice(0, 12);
  fps.set(key, fp);
  return fp;
}
