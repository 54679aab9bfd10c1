import { Memo } from '../../core/memo.ts';
import type { ExtractedRequest, InspectionInput } from '../types.ts';
import type { CheckHit } from './index.ts';

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** A GET or HEAD with a body or chunked framing (RFC 9110 §9.3.1: no defined semantics; a smuggling carrier). */
export function bodyOnGet(req: InspectionInput): CheckHit[] {
  if (req.method !== 'GET' && req.method !== 'HEAD') return [];
  if (req.headers['transfer-encoding'] !== undefined)
    return [{ location: 'header.transfer-encoding', fragment: `${req.method} with Transfer-Encoding` }];
  return req.body !== undefined && req.body.length > 0
    ? [{ location: 'body', fragment: `${req.method} with a ${req.body.length}-byte body` }]
    : [];
}

/** A body with no Content-Type: the upstream guesses its format, the inspector sniffs it (weak signal). */
export function bodyWithoutContentType(req: InspectionInput): CheckHit[] {
  const has = req.contentType !== undefined || req.headers['content-type'] !== undefined;
  return !has && req.body !== undefined && req.body.length > 0
    ? [{ location: 'header.content-type', fragment: 'missing' }]
    : [];
}

const TOKEN = "[\\w!#$%&'*+.^`|~-]+";
const MEDIA_TYPE = new RegExp(`^\\s*${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}\\s*=\\s*(?:${TOKEN}|"[^"]*"))*\\s*;?\\s*$`);

/**
 * A Content-Type outside the RFC 9110 §8.3.1 grammar, a boundary on a non-multipart type, or a multipart subtype
 * other than form-data/mixed/related: parsers then disagree on how to read the body (CRS 920470, 921421).
 */
export function malformedContentType(req: InspectionInput): CheckHit[] {
  const ct = req.contentType ?? one(req.headers['content-type']);
  if (ct === undefined) return [];
  return malformedTypes.get(ct, isMalformedType) ? [{ location: 'header.content-type', fragment: ct }] : [];
}

const isMalformedType = (ct: string): boolean => {
  const lower = ct.toLowerCase();
  return (
    !MEDIA_TYPE.test(ct) ||
    (/;\s*boundary\s*=/.test(lower) && !lower.startsWith('multipart/')) ||
    (lower.startsWith('multipart/') && !/^multipart\/(?:form-data|mixed|related|alternative|byteranges)\b/.test(lower))
  );
};
/** An API sees a handful of Content-Types: each one's verdict is kept (bounded, two generations). */
const malformedTypes = new Memo<boolean>(512);

/**
 * Header shapes that only tools and attacks produce: the httpoxy `Proxy` header (CVE-2016-5385), WebDAV lock
 * headers and the legacy `Request-Range` (Apache range DoS, CVE-2011-3192), a Range with many parts, duplicated
 * Connection tokens, and a Host that is missing or empty (RFC 9112 §3.2 requires one).
 */
export function headerAnomaly(req: InspectionInput): CheckHit[] {
  const h = req.headers;
  const hits: CheckHit[] = [];
  for (const name of ['proxy', 'request-range', 'lock-token', 'if', 'content-range', 'translate']) {
    if (h[name] !== undefined)
      hits.push({ location: `header.${name}`, fragment: `${name}: ${String(h[name]).slice(0, 60)}` });
  }
  const range = one(h.range);
  if (range !== undefined && range.split(',').length > 5) hits.push({ location: 'header.range', fragment: range });
  const conn = one(h.connection);
  // One token cannot repeat or conflict; only lists are split.
  if (conn !== undefined && conn.includes(',')) {
    const tokens = conn
      .toLowerCase()
      .split(',')
      .map((t) => t.trim());
    if (new Set(tokens).size !== tokens.length || (tokens.includes('close') && tokens.includes('keep-alive')))
      hits.push({ location: 'header.connection', fragment: conn });
  }
  const host = one(h.host);
  if (host === undefined || host.trim() === '')
    hits.push({ location: 'header.host', fragment: host === undefined ? 'missing' : 'empty' });
  const ae = one(h['accept-encoding']);
  if (ae !== undefined && ae.length > 100) hits.push({ location: 'header.accept-encoding', fragment: ae });
  return hits;
}

const isLiteralHost = (host: string): boolean =>
  /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d+)?$/i.test(host.trim());
const isOddAccept = (accept: string): boolean => /charset\s*=\s*"?(?!utf-?8|iso-8859-1|us-ascii)[\w-]+/i.test(accept);
/** Host and Accept values repeat on nearly every request: their verdicts are kept (bounded, two generations). */
const literalHosts = new Memo<boolean>(1024);
const oddAccepts = new Memo<boolean>(1024);

/**
 * Weak signals worth recording but not acting on: a Host that is an IP literal, Accept or User-Agent present but
 * empty, an Accept asking for a non-UTF-8 charset (EBCDIC response tricks), oversized argument names or values.
 */
export function headerOddity(req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const h = req.headers;
  const hits: CheckHit[] = [];
  const host = one(h.host);
  if (host !== undefined && literalHosts.get(host, isLiteralHost)) hits.push({ location: 'header.host', fragment: host });
  const accept = one(h.accept);
  if (accept?.trim() === '') hits.push({ location: 'header.accept', fragment: 'empty' });
  if (one(h['user-agent'])?.trim() === '') hits.push({ location: 'header.user-agent', fragment: 'empty' });
  if (accept !== undefined && oddAccepts.get(accept, isOddAccept)) hits.push({ location: 'header.accept', fragment: accept });
  for (const i of ex.inputs) {
    if (
      ((i.kind === 'key' && i.value.length > 100) || (i.kind === 'query' && i.value.length > 400)) &&
      i.location.startsWith('query.')
    )
      hits.push({
        location: i.location,
        fragment: `${i.kind === 'key' ? 'name' : 'value'} of ${i.value.length} characters`,
      });
  }
  return hits;
}

/** Percent-encoded bytes that are not valid UTF-8 (overlong forms, lone continuation bytes) or IIS `%uFFxx` full-width escapes. */
export function invalidUtf8(req: InspectionInput): CheckHit[] {
  const hits: CheckHit[] = [];
  for (const [location, raw] of [
    ['path', req.path],
    ['query', req.rawQuery],
  ] as const) {
    if (raw.indexOf('%') === -1) continue;
    if (/%u[fF]{2}[0-9a-fA-F]{2}/.test(raw)) {
      hits.push({ location, fragment: raw });
      continue;
    }
    try {
      decodeURIComponent(raw.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
    } catch {
      hits.push({ location, fragment: raw });
    }
  }
  return hits;
}

/**
 * Headers a product sets for itself and trusts without checking, so that a client sending one skips the product's
 * own access control: Next.js's `x-middleware-subrequest` (CVE-2025-29927: the middleware that checks the session
 * is not run) and PAN-OS's `x-pan-authcheck` (CVE-2024-0012: `off` skips the login). No browser or API client
 * sends either; each arrives only from an exploit. Present at all, with any value, is the finding.
 */
const SELF_TRUSTED_HEADERS = ['x-middleware-subrequest', 'x-pan-authcheck'];

export function selfTrustedHeaders(req: InspectionInput): CheckHit[] {
  const hits: CheckHit[] = [];
  for (const h of SELF_TRUSTED_HEADERS)
    if (req.headers[h] !== undefined) hits.push({ location: `header.${h}`, fragment: `${h}: ${req.headers[h]}` });
  return hits;
}
