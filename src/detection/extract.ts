import { Memo } from '../core/memo.ts';
import { extractBody, type Sink } from './body.ts';
import { maskCredentials } from './credential-fields.ts';
import { mayBeDataUrl, pushValue } from './data-url.ts';
import { hasLonePercent, urlDecode } from './decode.ts';
import { keyPath, parseForm } from './form.ts';
import { graphqlStrings, isGraphqlDocument } from './graphql.ts';
import { pushJwt } from './jwt.ts';
import { isPlain } from './variants.ts';
import type { ExtractedRequest, Input, InspectionInput, LimitHit } from './types.ts';

const FILENAME_HEADER = /file[-_.]?name/;
const NORMAL_KEY = /^[\w.\-[\]$]{1,64}$/;

export interface ExtractLimits {
  readonly bodyBytes: number;
  readonly depth: number;
  readonly args: number;
  readonly fileBytes: number;
}

/**
 * Every place a client can put a payload, flattened to located values: the path, query args (names too),
 * header values, cookies and the body. Values are left as the application would first see them (one URL
 * decoding for query, form and cookie values); deeper decoding happens per value in `variants.ts`.
 */
export function extractInputs(
  req: InspectionInput,
  lim: ExtractLimits,
  isCredential: (name: string) => boolean = () => false,
): ExtractedRequest {
  const inputs: Input[] = [];
  const limits: LimitHit[] = [];
  let credentials: Set<string> | undefined;
  const anomalies: Input[] = [];
  inputs.push({ kind: 'path', location: 'path', value: req.path });
  pathSegments(req.path, inputs, limits);

  if (req.rawQuery.length > 0) {
    const { pairs, truncated } = parseForm(req.rawQuery, lim.args);
    if (truncated) limits.push({ limit: 'args', detail: `more than ${lim.args} query args` });
    let odd = false;
    for (const [k, v] of pairs) {
      const loc = `query.${keyPath(k)}`;
      inputs.push({ kind: 'key', location: loc, value: k });
      if (v !== '' && !pushJwt(inputs, 'query', loc, v)) {
        const credential = isCredential(k);
        if (credential) (credentials ??= new Set()).add(loc);
        if (mayBeDataUrl(v) && !credential) pushValue(inputs, limits, 'query', loc, v, lim.fileBytes);
        else inputs.push({ kind: 'query', location: loc, value: v });
      }
      odd ||= !NORMAL_KEY.test(k);
    }
    // A query that does not split into normal `name=value` pairs (`?unix:A|http://x`, `?val)&(cn=admin`) is also
    // inspected whole: applications that read the raw query string see it that way.
    if (odd)
      inputs.push({
        kind: 'raw',
        location: 'query',
        value: maskCredentials(pairs, isCredential) ?? urlDecode(req.rawQuery, true),
      });
  }

  const headers = req.headers;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies(Array.isArray(value) ? value.join('; ') : value, inputs);
      continue;
    }
    if (name === 'origin' && typeof value === 'string' && SERIALIZED_ORIGIN.test(value)) continue;
    const h = headerInfo(name);
    for (const v of Array.isArray(value) ? value : [value]) {
      if (!pushJwt(inputs, h.kind, h.location, v)) inputs.push({ kind: h.kind, location: h.location, value: v });
    }
  }

  let bodyFormat: ExtractedRequest['bodyFormat'] = 'none';
  let sink: Sink | undefined;
  if (req.body !== undefined && req.body.length > 0) {
    let bytes = req.body;
    if (bytes.length > lim.bodyBytes) {
      bytes = bytes.subarray(0, lim.bodyBytes);
      limits.push({
        limit: 'bodyBytes',
        detail: `body larger than ${lim.bodyBytes} bytes; only its start was inspected`,
      });
    } else if (!req.bodyComplete) {
      limits.push({
        limit: 'bodyBytes',
        detail: `body larger than the ${bytes.length} bytes read; only its start was inspected`,
      });
    }
    sink = { inputs, limits, anomalies, args: 0, isCredential, ...(credentials === undefined ? {} : { credentials }) };
    const contentType = req.contentType ?? headerString(req.headers['content-type']);
    bodyFormat = extractBody(bytes, contentType, lim, sink);
  }
  graphqlArguments(inputs, limits, lim.args, sink?.graphql);
  return {
    inputs,
    limits,
    bodyFormat,
    anomalies,
    ...(sink?.redacted !== undefined ? { redacted: sink.redacted } : {}),
    ...(sink?.xmlEncoding !== undefined ? { xmlEncoding: sink.xmlEncoding } : {}),
    ...(sink?.xmlInternalEntity !== undefined ? { xmlInternalEntity: sink.xmlInternalEntity } : {}),
    ...(sink?.binary !== undefined ? { binaryBody: sink.binary } : {}),
    ...(sink?.utf16 !== undefined ? { utf16Body: sink.utf16 } : {}),
    ...(sink?.invalid !== undefined ? { invalidBody: sink.invalid } : {}),
    ...((sink?.credentials ?? credentials) !== undefined ? { credentials: (sink?.credentials ?? credentials)! } : {}),
  };
}

/** What a path segment is made of when it cannot differ alone from inside the whole path: see pathSegments. */
const PLAIN_PATH = /^[\w.\-/~]*$/;
/**
 * Segments read alone per request (past that, a limit finding: see pathSegments), and the characters of each read
 * alone: a route parameter's start is where its syntax is (`1 or 1=1-- aaaa…` keeps its comment to the cut), the
 * whole path is read anyway, and 64 such heads cost what one 16 KiB value does, inside any time budget.
 */
const PATH_SEGMENTS_MAX = 64;
const PATH_SEGMENT_ENDS = 24;
const PATH_SEGMENT_CHARS = 256;
/**
 * A plain value that is a rooted path or a URL (`/etc/passwd`, `C:/Windows/win.ini`, `http://10.0.0.1/`), which
 * the anchored file and SSRF rules read only from a value's start. A relative path (`db/structure.sql`, a GitLab
 * file) stays with the whole path: read alone it is a file name in a parameter, which the backup rules challenge.
 */
const ROOTED = /^(?:[a-z][\w+.-]{0,31}:)?[/\\]/i;
/**
 * Where a URL sent raw as the rest of the path starts (`/proxy/http://127.0.0.1:6379/`, a CORS proxy's form), as URL
 * parsers take it: leading spaces or controls, a `jar:`/`url:` wrapper, a special scheme with one slash or more
 * (nginx merges `//` into one), any other with `//`. Not a special scheme with none: Kubernetes names a node
 * `https:10.0.1.5:10250` in its proxy paths. Only the start is matched, so a long path is scanned once.
 */
const RAW_URL_START = /\/[\x00-\x20]*(?:(?:jar|url):)?(?:(?:https?|wss?|ftp|file|gopher|dict|ldaps?|tftp|smb|redis):[/\\]+|[a-z][\w+.-]{0,31}:[/\\]{2})(?=[^/\\])/gi;
/** URLs read from one path: the first two and the last two, so decoys before the real one cannot hide it. */
const RAW_URLS_MAX = 4;
const RAW_URL_CHARS = 2048;
/** What a URL parser removes anywhere in a URL (WHATWG): `ht%09tp://` is `http://`. */
const URL_IGNORED = /[\t\n\r]/g;
/** And what it trims from a URL's start: C0 controls and spaces. */
const LEADING_IGNORED = /^[\x00-\x20]+/;
/**
 * An OData key or function segment, how Microsoft Graph, SAP and Dynamics address a resource:
 * `People('russellwhyte')`, `range(address='A1:D20')`, `Orders(OrderID=1,ProductID=2)`. The application reads each
 * quoted literal's text (`''` is an escaped quote), so that is the value; read whole, libinjection takes
 * `range(address='A1:D20')` for SQL.
 */
const ODATA_ARGUMENT = String.raw`(?:[A-Za-z_]\w{0,63}=)?(?:'(?:[^'\\<>]|''){0,256}'|[\w.:@+-]{1,64})`;
const ODATA_SEGMENT = new RegExp(String.raw`^[A-Za-z_][\w.]{0,127}\((?:${ODATA_ARGUMENT}(?:,${ODATA_ARGUMENT}){0,15})?\)$`);
const ODATA_LITERAL = /'((?:[^']|'')*)'/g;
/** Characters that make a value worth reading alone; past the cap, segments holding more of them go first. */
const SUSPICIOUS = /['"`()<>;=|&$%{}\\\s*]/g;

/**
 * The path's segments that a plain reading of the whole path cannot stand for are values of their own too
 * (`path[3]` for the fourth), read as the parameters they are: a route parameter (`/items/:id`, `/proxy/:url`)
 * reaches the application alone, and what is read from a value's start — libinjection's quoting contexts, anchored
 * rules such as the SSRF URLs — does not see `1 or 1=1` in `/api/items/1%20or%201%3D1`. That is a segment with
 * more than plain characters, or a rooted path or URL (its slashes encoded); an OData segment gives its literals
 * instead; a URL sent raw as the rest of the path is one value. A plain segment (an id, a slug, a word: `isPlain`)
 * reads the same alone as inside the path, so it costs nothing; `.` and `..` are the path's own business (the
 * traversal rules read the whole path).
 */
function pathSegments(path: string, inputs: Input[], limits: LimitHit[]): void {
  if (PLAIN_PATH.test(path) && path.indexOf('--') === -1) return;
  rawUrls(path, inputs);
  const found: Input[] = [];
  const keep = (index: number, value: string): void => {
    if (!isPlain(value) || ROOTED.test(value))
      found.push({ kind: 'query', location: `path[${index}]`, value: value.slice(0, PATH_SEGMENT_CHARS) });
  };
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const raw = parts[i]!;
    if (raw.length === 0 || raw === '.' || raw === '..') continue;
    const value = urlDecode(raw);
    if (!ODATA_SEGMENT.test(value)) keep(i - 1, value);
    else for (const m of value.matchAll(ODATA_LITERAL)) keep(i - 1, m[1]!.replaceAll("''", "'"));
  }
  if (found.length <= PATH_SEGMENTS_MAX) {
    for (const f of found) inputs.push(f);
    return;
  }
  // Padding must not push a payload out of reach, and no one choice can be gamed alone: the first and last
  // segments (as a value past the time budget is read by its ends) and, from the middle, those with the most
  // syntax for their length. The limit is said.
  limits.push({
    limit: 'args',
    detail: `more than ${PATH_SEGMENTS_MAX} path segments to read alone; the first, the last and the most suspicious read`,
  });
  const middle = found
    .slice(PATH_SEGMENT_ENDS, -PATH_SEGMENT_ENDS)
    .map((f) => ({ f, score: (f.value.match(SUSPICIOUS)?.length ?? 0) / Math.sqrt(f.value.length) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, PATH_SEGMENTS_MAX - 2 * PATH_SEGMENT_ENDS)
    .map((r) => r.f);
  for (const f of [...found.slice(0, PATH_SEGMENT_ENDS), ...middle, ...found.slice(-PATH_SEGMENT_ENDS)]) inputs.push(f);
}

/** A URL sent raw as the rest of the path, read as one value from where it starts (see RAW_URL_START). */
function rawUrls(path: string, inputs: Input[]): void {
  if (path.indexOf(':') === -1 && path.indexOf('%') === -1) return;
  const decoded = urlDecode(path).replace(URL_IGNORED, '');
  if (decoded.indexOf(':') === -1) return;
  const starts: number[] = [];
  RAW_URL_START.lastIndex = 0;
  for (let m = RAW_URL_START.exec(decoded); m !== null; m = RAW_URL_START.exec(decoded)) starts.push(m.index);
  const read = starts.length <= RAW_URLS_MAX ? starts : [...starts.slice(0, 2), ...starts.slice(-2)];
  for (const at of read) {
    const index = decoded.slice(0, at).split('/').length - 1;
    // Its start is what a fetch goes to; the rest of the path is read with the whole path.
    const value = decoded.slice(at + 1, at + 1 + RAW_URL_CHARS).replace(LEADING_IGNORED, '');
    inputs.push({ kind: 'query', location: `path[${index}]`, value });
  }
}

/**
 * Where a GraphQL document is sent as a value: a `query` parameter or JSON field (batched ones too: array items share
 * their location) or the whole body (`application/graphql`, or untyped). An upload's `operations` field is JSON
 * text; body.ts hands its documents over apart.
 */
const GRAPHQL_LOCATION = /^(?:query\.query|body\.query|body)$/;

/**
 * A GraphQL document: its inline string arguments are values too, unescaped (graphql.ts), located under the
 * document's own location. Bounded by the args limit, counted with the rest.
 */
function graphqlArguments(
  inputs: Input[],
  limits: LimitHit[],
  maxArgs: number,
  documents: readonly { location: string; value: string }[] = [],
): void {
  const n = inputs.length;
  const read = (kind: 'query' | 'body', location: string, doc: string): void => {
    if (doc.indexOf('"') === -1 || !isGraphqlDocument(doc)) return;
    const room = Math.min(maxArgs - inputs.length, 256);
    const { values, more } = graphqlStrings(doc, Math.max(room, 0));
    for (const value of values) inputs.push({ kind, location: `${location}.argument`, value });
    // Not read as values: the document itself is still inspected whole, but the limit is said.
    if (more && !limits.some((l) => l.limit === 'args'))
      limits.push({ limit: 'args', detail: `GraphQL string arguments past ${room} not read as values` });
  };
  for (let i = 0; i < n; i++) {
    const inp = inputs[i]!;
    // Every value passes here: `…query` and `body` both end in `y`, a test cheaper than the regex.
    if ((inp.kind === 'query' || inp.kind === 'body') && inp.location.endsWith('y') && GRAPHQL_LOCATION.test(inp.location))
      read(inp.kind, inp.location, inp.value);
  }
  for (const d of documents) read('body', d.location, d.value);
}

/**
 * An `Origin` header as browsers and WebViews send it (RFC 6454: a web or app scheme, a host and a port, or `null`)
 * holds nothing to inspect: no path, query or markup. Hybrid and desktop apps send `capacitor://localhost`,
 * `tauri://localhost`, and a development build `http://10.0.2.2:3000` (Android's emulator) or a LAN address
 * (`http://192.168.1.23:19006`, Expo) on every call, which the SSRF rules read as an internal URL. Only loopback and
 * private dotted IPv4 hosts and DNS names are let through: blind-SSRF scanners put metadata addresses,
 * encoded IPs, `.internal` names and raw-protocol schemes in Origin (`http://169.254.169.254`, `gopher://…`), and
 * anything but this shape is inspected as usual.
 */
const SERIALIZED_ORIGIN =
  /^(?:(?:https?|capacitor|ionic|tauri|app|(?:chrome|moz|safari-web|ms-browser)-extension):\/\/(?:(?:[a-z\d-]{1,63}\.){0,16}localhost|\[::1\]|(?:127|10)(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|(?![\d.]{1,64}(?::|$))(?![^:]{0,253}(?:\.internal|\.local|\.svc|\.localdomain|\.arpa|metadata\.[a-z.]{1,64})(?::|$))(?:[a-z\d-]{1,63}\.){0,16}[a-z][a-z\d-]{0,62})(?::\d{1,5})?|null)$/i;

/**
 * Location and kind per header name, kept (bounded; cleared when full) because the same dozen names arrive on
 * every request and building `header.<name>` and testing FILENAME_HEADER each time showed in the profile.
 */
const headerInfos = new Memo<{ kind: 'filename' | 'header'; location: string }>(1024);
// Upload APIs pass the file name in a header (X-File-Name, X-Filename); rules treat it like a multipart filename.
const newHeaderInfo = (name: string) =>
  ({ kind: FILENAME_HEADER.test(name) ? 'filename' : 'header', location: `header.${name}` }) as const;

function headerInfo(name: string): { kind: 'filename' | 'header'; location: string } {
  return headerInfos.get(name, newHeaderInfo);
}

function headerString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** RFC 6265 cookie pairs; names are inspected as keys, values URL-decoded once as most frameworks do. */
function cookies(header: string, inputs: Input[]): void {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim();
    const value = eq === -1 ? '' : part.slice(eq + 1).trim();
    if (name.length === 0 && value.length === 0) continue;
    const loc = `cookie.${name}`;
    inputs.push({ kind: 'key', location: loc, value: name });
    if (value.length === 0) continue;
    const decoded = safeDecode(value);
    if (!pushJwt(inputs, 'cookie', loc, decoded)) inputs.push({ kind: 'cookie', location: loc, value: decoded });
  }
}

function safeDecode(v: string): string {
  // A `%` that is not an escape would make decodeURIComponent throw (microseconds each): keep the value as it is.
  if (v.indexOf('%') === -1 || hasLonePercent(v)) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
