import type { IncomingHttpHeaders } from 'node:http';

/** What the inspect stage hands the inspector: the request as received, nothing decoded yet. */
export interface InspectionInput {
  readonly method: string;
  /** Raw request target path, undecoded, without the query string. */
  readonly path: string;
  /** Raw query string without the `?`, or ''. */
  readonly rawQuery: string;
  /** Node's lower-cased header map. */
  readonly headers: IncomingHttpHeaders;
  /** The body as far as it was read (at most the configured limit). */
  readonly body?: Buffer;
  /** false when the body was cut at the read limit. */
  readonly bodyComplete: boolean;
  readonly contentType?: string;
}

/**
 * Where a value came from. Rules choose the kinds they apply to: a rule for file names in uploads has no
 * business looking at the Accept header. `raw` is an unparsed whole (a query string, an untyped form body), `xml` a
 * whole XML document (its prolog is where XXE lives; its markup is not an XSS).
 */
export const INPUT_KINDS = [
  'path',
  'query',
  'key',
  'body',
  'header',
  'cookie',
  'filename',
  'file',
  'raw',
  'xml',
] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** One inspectable value with its location (`query.q`, `body.user.name`, `header.user-agent`). */
export interface Input {
  readonly kind: InputKind;
  readonly location: string;
  readonly value: string;
}

/** A limit was crossed while extracting inputs; the inspector turns it into an `inspection.limit` finding. */
export interface LimitHit {
  readonly limit: 'bodyBytes' | 'depth' | 'args' | 'timeBudget' | 'valueBytes' | 'fileBytes';
  readonly detail: string;
}

/** Inputs plus request-level facts the protocol checks need. */
export interface ExtractedRequest {
  /** Locations of password fields' values (credential-fields.ts): form, JSON, multipart and query fields, not uploads or XML. */
  readonly credentials?: ReadonlySet<string>;
  /** Locations whose fragments are never recorded, though judged as usual (a password in XML not trusted, xml.ts). */
  readonly redacted?: ReadonlySet<string>;
  /** The encoding an XML body's declaration names, when it names one. */
  readonly xmlEncoding?: string;
  /** An entity of an XML body's own DTD used where its text cannot be substituted in place (xml.ts). */
  readonly xmlInternalEntity?: string;
  readonly inputs: Input[];
  readonly limits: LimitHit[];
  /** Body format as parsed (after sniffing when no Content-Type was sent). */
  readonly bodyFormat: 'none' | 'json' | 'form' | 'multipart' | 'xml' | 'text' | 'binary';
  /** Problems the multipart reader found (no boundary, duplicate dispositions, no name) and part charsets. */
  readonly anomalies: Input[];
  /** Set when a body under a text, JSON, XML or form type (or none) was found binary and inspected as a file. */
  readonly binaryBody?: { readonly declared: string; readonly oddShare: number };
  /** Set when the body was UTF-16 (by byte order mark, declared charset or RFC 4627 NUL pattern) and decoded. */
  readonly utf16Body?: { readonly encoding: 'utf-16le' | 'utf-16be'; readonly by: string };
  /** Set when a body declared as JSON did not parse; it was inspected as text. `bytes` counts UTF-16 units. */
  readonly invalidBody?: { readonly declared: string; readonly bytes: number };
}
