import type { ExtractedRequest, InspectionInput } from '../types.ts';
import type { CheckHit } from './index.ts';

/**
 * Methods an HTTP API legitimately receives (RFC 9110 §9 plus PATCH, RFC 5789). Anything else — TRACE
 * (cross-site tracing), TRACK, DEBUG (IIS), made-up verbs used to slip past method-based access rules
 * (CVE-2022-22978 style verb tampering) — is an anomaly.
 */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function invalidMethod(req: InspectionInput): CheckHit[] {
  return METHODS.has(req.method) ? [] : [{ location: 'method', fragment: req.method }];
}

function values(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/**
 * Request smuggling needs the front end and the back end to disagree on where a request ends: both
 * Content-Length and Transfer-Encoding (RFC 9112 §6.1 says the sender must not, the recipient should treat it as
 * an error), or several different Content-Length values (RFC 9110 §8.6).
 */
const LENGTH = /^\d{1,15}$/;

export function conflictingLength(req: InspectionInput): CheckHit[] {
  // Nearly every request: no Transfer-Encoding and at most one well-formed Content-Length (no arrays or Sets).
  const one = req.headers['content-length'];
  const single = one === undefined || (typeof one === 'string' && LENGTH.test(one));
  if (single && req.headers['transfer-encoding'] === undefined) return [];
  const te = values(req.headers['transfer-encoding']);
  const cl = values(req.headers['content-length']).flatMap((v) => v.split(',').map((x) => x.trim()));
  if (te.length > 0 && cl.length > 0)
    return [
      { location: 'header.transfer-encoding', fragment: `content-length: ${cl[0]}, transfer-encoding: ${te[0]}` },
    ];
  if (new Set(cl).size > 1) return [{ location: 'header.content-length', fragment: cl.join(', ') }];
  if (cl.some((v) => !LENGTH.test(v))) return [{ location: 'header.content-length', fragment: cl.join(', ') }];
  return [];
}

/** Only `chunked` is meaningful on a request to us; `xchunked`, `chunked, identity` and friends are TE.TE smuggling. */
export function unsupportedTransferEncoding(req: InspectionInput): CheckHit[] {
  const te = values(req.headers['transfer-encoding']);
  return te.some((v) => v.trim().toLowerCase() !== 'chunked')
    ? [{ location: 'header.transfer-encoding', fragment: te.join(', ') }]
    : [];
}

const BAD_ESCAPE = /%(?![0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/;
const FORM_TYPE = /x-www-form-urlencoded/i;

/**
 * A `%` not followed by two hex digits is not URL encoding (RFC 3986 §2.1); back ends disagree on what it means,
 * which is what evasion needs. `%u` is IIS-only and covered by decoding, so it is allowed here.
 */
export function invalidUrlEncoding(req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const hits: CheckHit[] = [];
  if (BAD_ESCAPE.test(req.path)) hits.push({ location: 'path', fragment: req.path });
  if (BAD_ESCAPE.test(req.rawQuery)) hits.push({ location: 'query', fragment: req.rawQuery });
  const ct = values(req.headers['content-type'])[0] ?? '';
  // A binary body under a form type is not URL encoding at all; `protocol.binary-body` reports that instead.
  if (req.body !== undefined && ex.bodyFormat !== 'binary' && FORM_TYPE.test(ct)) {
    const text = req.body.toString('latin1');
    if (BAD_ESCAPE.test(text)) hits.push({ location: 'body', fragment: text });
  }
  return hits;
}
