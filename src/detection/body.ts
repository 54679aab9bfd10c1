import { classifyBytes, classifyText } from './binary.ts';
import { decodeUtf16 } from './charset.ts';
import { maskCredentials } from './credential-fields.ts';
import { mayBeDataUrl, pushValue } from './data-url.ts';
import { urlDecode } from './decode.ts';
import { keyPath, parseForm } from './form.ts';
import { boundaryOf, parseMultipart } from './multipart.ts';
import type { ExtractedRequest, Input, LimitHit } from './types.ts';
import { fileContent } from './file-content.ts';
import { xmlValues } from './xml.ts';

export interface BodyLimits {
  readonly depth: number;
  readonly args: number;
  readonly fileBytes: number;
}

export interface Sink {
  inputs: Input[];
  limits: LimitHit[];
  anomalies: Input[];
  args: number;
  /** Whether a field name (form, JSON key, XML path) is a password field's (credential-fields.ts). */
  readonly isCredential: (name: string) => boolean;
  /** Locations of password fields' values (not uploads), judged and recorded as passwords (run.ts). */
  credentials?: Set<string>;
  /** Locations whose fragments are never recorded (a password in XML whose paths are not trusted). */
  redacted?: Set<string>;
  /** See ExtractedRequest. */
  xmlEncoding?: string;
  xmlInternalEntity?: string;
  binary?: ExtractedRequest['binaryBody'];
  utf16?: ExtractedRequest['utf16Body'];
  invalid?: ExtractedRequest['invalidBody'];
  /** GraphQL documents read only for their string arguments (an upload's `operations`), by the field's location. */
  graphql?: { location: string; value: string }[];
}

/** The encoding an XML declaration names (`<?xml version="1.0" encoding="UTF-7"?>`), with any padding XML allows. */
const XML_ENCODING = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']{1,64})["']/;

/** UTF-32 by its first four bytes, with or without a byte order mark (as libxml2 detects it). */
const UTF32_START = [
  Buffer.from([0x3c, 0, 0, 0]),
  Buffer.from([0, 0, 0, 0x3c]),
  Buffer.from([0xff, 0xfe, 0, 0]),
  Buffer.from([0, 0, 0xfe, 0xff]),
];

/** Types whose bodies are opaque bytes by declaration: inspected as a file, never as text. */
function declaredBinary(ct: string): boolean {
  // SVG is XML text (`image/svg+xml`): read as XML, with its entities and script.
  return (ct.startsWith('image/') && !ct.includes('xml')) || ct.startsWith('video/') || ct.startsWith('audio/') || ct.includes('octet-stream');
}

/**
 * Turns a body into inputs by its declared type, or by sniffing when none was declared: APIs and attack tools
 * alike send JSON and forms without Content-Type, and a body nobody inspects is a free pass (1,254 of the CRS
 * regression tests send exactly that). What cannot be parsed is inspected as text — unless it is binary
 * (`binary.ts`): random bytes decoded as text match shell and PHP rules by chance (`$(`, `;` + a letter run) at
 * critical severity, which blocked uploads sent without a Content-Type or with curl's default form type.
 */
export function extractBody(
  body: Buffer,
  contentType: string | undefined,
  lim: BodyLimits,
  sink: Sink,
): ExtractedRequest['bodyFormat'] {
  let bytes = body;
  const ct = (contentType ?? '').toLowerCase();
  // Multipart and declared-binary bodies are read one byte a character (Latin-1): decoding 120 KB of image bytes
  // as UTF-8 cost 1.9 ms (every invalid sequence is a replacement), more than all the rest of the inspection.
  // Names, headers and text parts are decoded as UTF-8 when parsed (`multipart`).
  if (ct.includes('multipart/form-data')) {
    const boundary = boundaryOf(contentType ?? '');
    if (boundary !== undefined) return multipart(bytes.toString('latin1'), boundary, lim, sink);
    return extractText(bytes.toString('utf8'), ct, contentType, lim, sink);
  }
  if (declaredBinary(ct)) return bodyFile(bytes, lim, sink);
  // UTF-32 XML (libxml2 detects it by its first four bytes, BOM or not): nothing in it reads as UTF-8 or UTF-16.
  if (UTF32_START.some((p) => bytes.subarray(0, p.length).equals(p))) sink.xmlEncoding = 'UTF-32';
  const utf16 = decodeUtf16(bytes, ct);
  if (utf16 !== undefined) {
    sink.utf16 = { encoding: utf16.encoding, by: utf16.by };
    return extractText(utf16.text, ct, contentType, lim, sink);
  }
  // A UTF-8 byte order mark is not part of the text (RFC 8259 §8.1: parsers may ignore it; JSON.parse does not).
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const { binary, oddShare } = classifyBytes(bytes);
  if (!binary) return extractText(bytes.toString('utf8'), ct, contentType, lim, sink);
  return extractBinary(bytes, ct, oddShare, lim, sink);
}

/**
 * A binary body under a text, JSON, XML or form type, or none. It is inspected like `application/octet-stream`:
 * its head as a file (PHP tags, SSI, script and XXE markup in uploads). What the application could still parse
 * out of it as text is inspected as text too, so padding a payload with junk does not hide it:
 *   - JSON that parses (JSON strings may carry any non-control bytes; a parser reads them as U+FFFD), which is
 *     then JSON like any other, without the binary finding;
 *   - under a form type, the `name=value` pairs a form serializer could have written: printable ASCII only, since
 *     the urlencoded serializer percent-encodes every other byte (WHATWG URL §5.2). Random bytes yield about one such
 *     pair per 130 KB, a few characters long (at most 7 in 13 MB measured); a real form padded with junk yields
 *     all of its fields.
 */
function extractBinary(
  bytes: Buffer,
  ct: string,
  oddShare: number,
  lim: BodyLimits,
  sink: Sink,
): ExtractedRequest['bodyFormat'] {
  const first = bytes.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if ((ct.includes('json') || ct === '') && (first === 0x7b || first === 0x5b || first === 0x22)) {
    const parsed = tryJson(bytes.toString('utf8'));
    if (parsed !== undefined) {
      walkJson(parsed.value, 'body', 0, lim, sink);
      return 'json';
    }
  }
  if (ct.includes('x-www-form-urlencoded')) {
    const pairs = bytes
      .toString('latin1')
      .split('&')
      .filter((p) => /^[\x21-\x7e]+$/.test(p));
    if (pairs.length > 0) form(pairs.join('&'), lim, sink);
  }
  sink.binary = { declared: ct === '' ? 'no Content-Type' : ct.split(';')[0]!.trim(), oddShare };
  return bodyFile(bytes, lim, sink);
}

/** The whole body as an opaque file: read one byte a character, its head decoded as UTF-8 (file-content.ts). */
function bodyFile(bytes: Buffer, lim: BodyLimits, sink: Sink): 'binary' {
  const head = bytes.subarray(0, lim.fileBytes).toString('utf8');
  sink.inputs.push({ kind: 'file', location: 'body', value: fileText(bytes.toString('latin1'), lim, sink, head) });
  return 'binary';
}

function extractText(
  text: string,
  ct: string,
  contentType: string | undefined,
  lim: BodyLimits,
  sink: Sink,
): ExtractedRequest['bodyFormat'] {
  const trimmed = text.trimStart();
  // An XML declaration naming an encoding a parser switches to and this UTF-8 reading cannot follow (UTF-7, EBCDIC)
  // hides the whole document, whatever the Content-Type says (PHP reads php://input as XML all the same):
  // protocol.xml-encoding. A review sent an XXE as UTF-7, which libxml2 resolved.
  if (trimmed.startsWith('<?xml')) {
    const declared = XML_ENCODING.exec(trimmed);
    if (declared !== null) sink.xmlEncoding = declared[1]!;
  }
  // (Multipart with a boundary and declared-binary bodies never get here: extractBody reads them as Latin-1.)
  if (ct.includes('multipart/form-data')) {
    sink.anomalies.push({ kind: 'raw', location: 'body', value: 'multipart body without a boundary' });
  } else if (ct.includes('json') || (ct === '' && (trimmed.startsWith('{') || trimmed.startsWith('[')))) {
    const parsed = tryJson(text);
    if (parsed !== undefined) {
      walkJson(parsed.value, 'body', 0, lim, sink);
      return 'json';
    }
    // Inspected as text below; the finding says the body is not what it claims (parsers may still read part of it).
    if (ct.includes('json')) sink.invalid = { declared: ct.split(';')[0]!.trim(), bytes: text.length };
  } else if (ct.includes('xml') || (ct === '' && trimmed.startsWith('<')) || (ct.startsWith('text/plain') && trimmed.startsWith('<?xml'))) {
    // (A `text/plain` body that declares itself XML is read as XML too: PHP's php://input does not look at types.)
    const { values, truncated, nestedTooDeep, joinsCut, internalEntity } = xmlValues(text, lim.args, sink.isCredential);
    if (truncated) sink.limits.push({ limit: 'args', detail: `more than ${lim.args} XML values` });
    if (nestedTooDeep) sink.limits.push({ limit: 'depth', detail: 'XML nested deeper than 256 elements' });
    if (joinsCut) sink.limits.push({ limit: 'args', detail: 'XML mixed content nested past what is read whole' });
    if (internalEntity !== undefined) sink.xmlInternalEntity = internalEntity;
    // A SOAP login's password is judged in full — where an XML value stands cannot be trusted (xml.ts) — but never
    // recorded: not its value, not a mixed-content value that joins it, not the whole document that holds it (nor
    // one too long to tell).
    let password = false;
    for (const v of values) {
      if (v.secret === true) {
        (sink.redacted ??= new Set()).add(`body.${v.path}`);
        password = true;
      }
      add(sink, lim, 'body', `body.${v.path}`, v.value);
    }
    if (truncated || nestedTooDeep || password) (sink.redacted ??= new Set()).add('body');
    // The prolog and the markup are where XXE and XSS-in-XML live; rules see the body whole as well.
    sink.inputs.push({ kind: 'xml', location: 'body', value: text });
    return 'xml';
  } else if (ct.includes('x-www-form-urlencoded') || (ct === '' && /^[^\s=&]{1,256}=/.test(text))) {
    // Unencoded `&` inside a payload splits it into odd-looking keys; the application may read the body whole.
    const { odd, pairs } = form(text, lim, sink);
    if (odd || ct === '')
      sink.inputs.push({ kind: 'raw', location: 'body', value: maskCredentials(pairs, sink.isCredential) ?? text });
    return 'form';
  }
  // Untyped bodies that look URL-encoded (`%22+union+select`) are read the way a form parser would.
  const value = ct === '' && /%[0-9a-f]{2}|\+/i.test(text) && !/\s/.test(text.trim()) ? urlDecode(text, true) : text;
  sink.inputs.push({ kind: 'body', location: 'body', value });
  return 'text';
}

function tryJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

function add(sink: Sink, lim: BodyLimits, kind: Input['kind'], location: string, value: string): boolean {
  if (sink.args >= lim.args) {
    if (!sink.limits.some((l) => l.limit === 'args'))
      sink.limits.push({ limit: 'args', detail: `more than ${lim.args} values` });
    return false;
  }
  sink.args++;
  // A password that starts with `data:,` is a password, not an inline file to decode into a copy.
  if (kind === 'body' && mayBeDataUrl(value) && sink.credentials?.has(location) !== true && sink.redacted?.has(location) !== true)
    pushValue(sink.inputs, sink.limits, kind, location, value, lim.fileBytes);
  else sink.inputs.push({ kind, location, value });
  return true;
}

/** A field name as clients write them, namespaced ones too (Mailgun's `o:tracking`, `h:Reply-To`, `v:campaign`). */
const NORMAL_KEY = /^[\w.\-[\]$:]{1,64}$/;

function form(text: string, lim: BodyLimits, sink: Sink): { odd: boolean; pairs: [string, string][] } {
  const { pairs, truncated } = parseForm(text, lim.args);
  if (truncated) sink.limits.push({ limit: 'args', detail: `more than ${lim.args} form fields` });
  let odd = false;
  for (const [k, v] of pairs) {
    const loc = `body.${keyPath(k)}`;
    add(sink, lim, 'key', loc, k);
    if (v !== '') {
      if (sink.isCredential(k)) (sink.credentials ??= new Set()).add(loc);
      add(sink, lim, 'body', loc, v);
    }
    odd ||= !NORMAL_KEY.test(k);
  }
  return { odd, pairs };
}

function walkJson(value: unknown, path: string, depth: number, lim: BodyLimits, sink: Sink): void {
  if (depth > lim.depth) {
    if (!sink.limits.some((l) => l.limit === 'depth'))
      sink.limits.push({ limit: 'depth', detail: `JSON nested deeper than ${lim.depth}` });
    return;
  }
  if (typeof value === 'string') add(sink, lim, 'body', path, value);
  else if (Array.isArray(value)) for (const item of value) walkJson(item, path, depth + 1, lim, sink);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      add(sink, lim, 'key', `${path}.${k}`, `${path.slice(5)}${path.length > 4 ? '.' : ''}${k}`);
      // JSON keys are interned by JSON.parse: this memo lookup costs no hashing of a new string.
      if (sink.isCredential(k)) (sink.credentials ??= new Set()).add(`${path}.${k}`);
      walkJson(v, `${path}.${k}`, depth + 1, lim, sink);
    }
  }
}

/** `latin1` holds the body one byte a character; what is text in it is decoded as UTF-8 here. */
function multipart(latin1: string, boundary: string, lim: BodyLimits, sink: Sink): 'multipart' {
  const { parts, anomalies } = parseMultipart(latin1, boundary, lim.args);
  for (const a of anomalies) sink.anomalies.push({ kind: 'raw', location: 'body', value: utf8(a) });
  for (const raw of parts) {
    const name = utf8(raw.name);
    const loc = `body.${keyPath(name)}`;
    add(sink, lim, 'key', loc, name);
    if (raw.contentType !== undefined)
      sink.anomalies.push({ kind: 'raw', location: `${loc}#content-type`, value: utf8(raw.contentType) });
    if (raw.filename !== undefined) {
      add(sink, lim, 'filename', `${loc}#filename`, utf8(raw.filename));
      // A file part is opaque when its type says so or, typed as text or untyped, when its bytes are (`binary.ts`).
      const typedBinary = raw.contentType !== undefined && !/^text\/|json|xml/i.test(raw.contentType);
      const text = typedBinary ? undefined : utf8(raw.value);
      if (text !== undefined && !classifyText(text).binary) {
        // A text file (SVG, HTML, CSV) is inspected whole, like any field; an opaque one by its head and windows.
        add(sink, lim, 'body', loc, text);
      } else {
        const head = text?.slice(0, lim.fileBytes) ?? utf8(raw.value.slice(0, lim.fileBytes));
        add(sink, lim, 'file', loc, fileText(raw.value, lim, sink, head));
      }
    } else if (name === '_charset_') {
      sink.anomalies.push({ kind: 'raw', location: `${loc}#charset`, value: utf8(raw.value) });
    } else {
      if (sink.isCredential(name)) (sink.credentials ??= new Set()).add(loc);
      const value = utf8(raw.value);
      add(sink, lim, 'body', loc, value);
      if (loc === 'body.operations') operationDocuments(value, sink);
    }
  }
  return 'multipart';
}

const OPERATIONS_MAX = 64;
const OPERATIONS_CHARS = 262_144;

/**
 * The GraphQL documents of a multipart upload's `operations` field (the GraphQL multipart request spec): a JSON
 * object, or an array of them for a batch, with its document in `query`. The field is inspected as its text, as
 * every field is; the documents are handed on to be read for their inline string arguments (extract.ts).
 */
function operationDocuments(value: string, sink: Sink): void {
  // `uery` or an escape (`"\u0071uery"`): a field without either names no document, and parsing it costs time.
  if (value.indexOf('uery') === -1 && value.indexOf('\\u') === -1) return;
  if (value.length > OPERATIONS_CHARS) {
    sink.limits.push({ limit: 'args', detail: `GraphQL operations of ${value.length} characters not read for arguments` });
    return;
  }
  const parsed = tryJson(value);
  if (parsed === undefined || parsed.value === null || typeof parsed.value !== 'object') return;
  const ops: unknown[] = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  if (ops.length > OPERATIONS_MAX)
    sink.limits.push({ limit: 'args', detail: `GraphQL batch of ${ops.length} operations; the first ${OPERATIONS_MAX} read for arguments` });
  for (const op of ops.slice(0, OPERATIONS_MAX)) {
    const query = op !== null && typeof op === 'object' ? (op as { query?: unknown }).query : undefined;
    if (typeof query === 'string') (sink.graphql ??= []).push({ location: 'body.operations', value: query });
  }
}

/** A string read one byte a character, decoded as UTF-8 (ASCII, nearly every name and header, is returned as is). */
function utf8(latin1: string): string {
  return /^[\x00-\x7f]*$/.test(latin1) ? latin1 : Buffer.from(latin1, 'latin1').toString('utf8');
}

/** A file's text as the rules read it (file-content.ts); windows past the head cut short are an inspection limit. */
function fileText(text: string, lim: BodyLimits, sink: Sink, head?: string): string {
  const { text: read, cut } = fileContent(text, lim.fileBytes, head);
  if (cut) sink.limits.push(FILE_CUT);
  return read;
}
const FILE_CUT: LimitHit = {
  limit: 'fileBytes',
  detail: 'a file holds more places where code starts than are inspected past its first bytes',
};
