import { Memo } from '../../core/memo.ts';
import type { ExtractedRequest, InspectionInput } from '../types.ts';
import type { CheckHit } from './index.ts';

/** Structural problems the multipart reader reported (missing boundary, duplicate dispositions, no name). */
export function multipartAnomaly(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  return ex.anomalies.filter((a) => a.location === 'body').map((a) => ({ location: 'body', fragment: a.value }));
}

/**
 * Charsets that let a payload through a UTF-8 inspector and back out as markup at the application: UTF-7
 * (`+ADw-script+AD4-`, CVE-2008-2938 class), UTF-16/32 and EBCDIC (`ibm037`). Declared on the request, on a
 * multipart part, or through the `_charset_` field (HTML §4.10.21.8). CRS 920480/922100/922110 cover the same.
 */
const SAFE_CHARSET = /^(?:utf-?8|us-ascii|ascii|iso-8859-1|latin1|windows-1252)$/i;

function charsetsIn(contentType: string): string[] {
  return [...contentType.matchAll(/charset\s*=\s*"?([^";,\s]*)/gi)].map((m) => m[1] ?? '');
}

const unsafeContentType = (ct: string): boolean => {
  const cs = charsetsIn(ct);
  return cs.length > 1 || cs.some((c) => !SAFE_CHARSET.test(c));
};
/** A request's Content-Type is one of a handful an API sees: its verdict is kept (bounded, two generations). */
const unsafeContentTypes = new Memo<boolean>(512);

export function unsafeCharset(req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const hits: CheckHit[] = [];
  const ct =
    req.contentType ??
    (Array.isArray(req.headers['content-type']) ? req.headers['content-type'][0] : req.headers['content-type']);
  if (ct !== undefined && unsafeContentTypes.get(ct, unsafeContentType))
    hits.push({ location: 'header.content-type', fragment: ct });
  for (const a of ex.anomalies) {
    if (a.location.endsWith('#content-type')) {
      if (charsetsIn(a.value).some((c) => !SAFE_CHARSET.test(c)))
        hits.push({ location: a.location, fragment: a.value });
    } else if (a.location.endsWith('#charset') && !SAFE_CHARSET.test(a.value.trim())) {
      hits.push({ location: a.location, fragment: a.value });
    }
  }
  // UTF-16 recognised without a declaration (byte order mark, NUL pattern): decoded and inspected, but reported.
  const u = ex.utf16Body;
  if (u !== undefined && u.by !== 'declared charset')
    hits.push({ location: 'body', fragment: `${u.encoding.toUpperCase()} body (${u.by})` });
  return hits;
}

/**
 * XML encodings whose markup is not ASCII bytes: UTF-7 (`+ADw-` is `<`), UTF-32 and UCS-2/4, EBCDIC code pages,
 * and the 7-bit ones whose escape sequences a parser drops (ISO-2022-*, HZ: `<!DOC\x1b(BTYPE`), or that decode
 * `\u003c` (libiconv's JAVA, C99). The 8-bit ASCII-compatible sets (Latin, Cyrillic, EUC, Shift_JIS: their trail
 * bytes never hold `<`, `&` or a quote) read as the parser reads them where it matters, and UTF-16 is decoded.
 */
const HIDING_XML_ENCODING =
  /^(?:iso-?2022[\w-]*|cs-?iso2022[\w-]*|hz(?:-gb-?2312)?|java|c99|(?:x-)?utf-?7(?:-imap)?|unicode-1-1-utf-7|csunicode11utf7|utf-?32(?:le|be)?|ucs-?[24](?:le|be)?|iso-10646-ucs-[24]|(?:cs|x-)?ebcdic[\w-]*|(?:ibm|cp|ccsid)[-_]?0*(?:37|273|277|278|280|284|285|290|297|420|423|424|500|833|838|870|871|875|880|905|918|924|1025|1026|1047|1097|1112|1122|1123|114\d))$/i;

/**
 * An XML declaration naming an encoding the parser would switch to but this inspector cannot follow (UTF-7,
 * UTF-32, EBCDIC): what the parser reads after the declaration is not what was inspected. No client sends these
 * for an API.
 */
export function xmlEncoding(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const e = ex.xmlEncoding;
  if (e === undefined || !HIDING_XML_ENCODING.test(e.trim())) return [];
  return [{ location: 'body', fragment: `encoding="${e}"` }];
}

/**
 * XML that uses an entity of its own DTD where its text cannot be read in place (xml.ts: built of other entities,
 * holding markup, too long, or referenced inside the DTD). Plain-text entities are substituted and inspected; these
 * are how a payload is split so that only the parser sees it whole, and expanding them is the entity-bomb surface.
 */
export function xmlInternalEntity(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const e = ex.xmlInternalEntity;
  return e === undefined ? [] : [{ location: 'body', fragment: `&${e.slice(0, 64)};` }];
}

/**
 * A body declared as JSON that JSON.parse rejects. It was inspected as plain text instead, so no rule misses it,
 * but the gateway and the application may read it differently (lenient parsers accept comments, single quotes,
 * trailing commas, NaN), and well-behaved clients do not send it. Never blocks alone.
 */
export function invalidJson(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const b = ex.invalidBody;
  if (b === undefined) return [];
  return [{ location: 'body', fragment: `${b.declared} body of ${b.bytes} characters does not parse as JSON` }];
}

/**
 * A body that is binary (`binary.ts`) under a text, JSON, XML or form type, or none. It was inspected as a file,
 * not as text; the finding keeps the mismatch visible and adds a little risk. Legitimate clients do this too
 * (`curl -d @photo.jpg` sends `application/x-www-form-urlencoded`), so it never blocks alone.
 */
export function binaryBody(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const b = ex.binaryBody;
  if (b === undefined) return [];
  const share = Math.round(b.oddShare * 100);
  return [{ location: 'body', fragment: `binary body (${share} % non-text bytes) under ${b.declared}` }];
}
