/**
 * A small multipart/form-data reader (RFC 7578) for inspection only: it never writes files and stops at the
 * inspection limit. Besides fields and file names it reports the anomalies parser-differential attacks rely on
 * (CVE-2023-38199 style boundary tricks, non-UTF-8 part charsets that hide payloads as UTF-7/UTF-16, CRS 922xxx).
 */
export interface MultipartPart {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly value: string;
}

export interface MultipartResult {
  readonly parts: MultipartPart[];
  readonly anomalies: string[];
}

export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]{1,200})"|([^\s;,]{1,200}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * Characters that make multipart parsers disagree on where a name ends (CRS 920120): a quote, a backslash, a control
 * character, `=`, or a `;` — except the `;` that ends an HTML character reference, which is how browsers send
 * characters outside the form's encoding (`&#1234;`, HTML Living Standard, "multipart/form-data encoding
 * algorithm"; older ones sent named references like `&auml;`). `'`, `&` and `%` are ordinary in names people
 * give files (`O'Brien.pdf`, `Q&A.pdf`, `50%.png`); flagging them challenged the people uploading them.
 */
const AMBIGUOUS = /[;"=\\]|[\x00-\x1f]/;
const CHARACTER_REFERENCE = /&(?:[a-z][a-z0-9]{1,31}|#\d{1,7}|#x[0-9a-f]{1,6});/gi;

function ambiguousName(name: string | undefined): boolean {
  if (name === undefined) return false;
  return AMBIGUOUS.test(name.includes('&') ? name.replace(CHARACTER_REFERENCE, '') : name);
}

const DISPOSITION_PARAM = /;\s*([a-z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/gi;

export function parseMultipart(body: string, boundary: string, maxParts: number): MultipartResult {
  const anomalies: string[] = [];
  const parts: MultipartPart[] = [];
  const delimiter = `--${boundary}`;
  const chunks = body.split(delimiter);
  if (chunks.length < 2) return { parts, anomalies: ['the body does not contain its declared boundary'] };
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    if (parts.length >= maxParts) {
      anomalies.push(`more than ${maxParts} parts`);
      break;
    }
    const headerEnd = chunk.indexOf('\r\n\r\n') !== -1 ? chunk.indexOf('\r\n\r\n') : chunk.indexOf('\n\n');
    if (headerEnd === -1) {
      anomalies.push('a part has no header/body separator');
      continue;
    }
    const sepLen = chunk.startsWith('\r\n\r\n', headerEnd) ? 4 : 2;
    const head = chunk.slice(0, headerEnd);
    let value = chunk.slice(headerEnd + sepLen);
    if (value.endsWith('\r\n')) value = value.slice(0, -2);
    else if (value.endsWith('\n')) value = value.slice(0, -1);
    let name: string | undefined;
    let filename: string | undefined;
    let contentType: string | undefined;
    let dispositions = 0;
    for (const line of head.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon === -1) continue;
      const field = line.slice(0, colon).trim().toLowerCase();
      const fv = line.slice(colon + 1).trim();
      if (field === 'content-disposition') {
        dispositions++;
        for (const m of fv.matchAll(DISPOSITION_PARAM)) {
          const key = m[1]!.toLowerCase();
          const v = m[2] ?? m[3] ?? '';
          if (key === 'name') name = v;
          else if (key === 'filename' || key === 'filename*') filename = v;
        }
      } else if (field === 'content-type') contentType = fv;
    }
    if (dispositions !== 1) anomalies.push(`a part has ${dispositions} Content-Disposition headers`);
    if (name === undefined) anomalies.push('a part has no field name');
    if (ambiguousName(name) || ambiguousName(filename))
      anomalies.push('a part name or file name contains characters multipart parsers split on');
    const part: MultipartPart = { name: name ?? '', value };
    if (filename !== undefined) (part as { filename?: string }).filename = filename;
    if (contentType !== undefined) (part as { contentType?: string }).contentType = contentType;
    parts.push(part);
  }
  return { parts, anomalies };
}
