/**
 * Pulls text nodes and attribute values out of an XML body without building a tree or resolving anything
 * (an XML parser that resolves entities is the XXE attack surface itself). The prolog (DOCTYPE, ENTITY
 * declarations) stays visible to rules through the raw body input.
 *
 * A scanner, not a regex: each construct ends where an XML parser ends it — a processing instruction at `?>`, a
 * comment at `-->`, CDATA at `]]>`, a DOCTYPE after its internal subset, a start tag at the first `>` outside a
 * quoted attribute value; names are any run of non-delimiters (XML 1.0 allows letters of every script). Reviews
 * found each of these read otherwise by the regex tokenizer this replaced, and text filed under a `<password>`
 * that a parser does not see. An element's value is all of its own text joined, across comments, processing
 * instructions, CDATA and child elements, as DOM's textContent and XPath's string() read it
 * (`${jn<!---->di:…}` is `${jndi:…}`). Where the scanner and a parser could still disagree, `wellFormed` is false.
 * Linear: every search moves forward.
 */
export interface XmlValue {
  readonly path: string;
  readonly value: string;
  /** Where the value's text stands in the body: a password can be blanked there and nowhere else. */
  readonly spans: readonly Span[];
  /**
   * An attribute, or the text of a leaf element inside a record (a parent with two or more element children and
   * no text of its own, under ancestors with no text either, in a SOAP envelope): the shape of a login's
   * `<Password>`. Any other element's text may be read as part of an ancestor's (`<host><password>;id</password>
   * </host>` is host's `;id` to textContent), so it is never judged as a password (body.ts).
   */
  readonly record: boolean;
}

type Span = readonly [start: number, end: number];

export interface XmlValues {
  readonly values: XmlValue[];
  readonly truncated: boolean;
  /**
   * Every element closed in order by its own name, every construct terminated, every tag read to its end, no `<`
   * left in text, no text outside the root, no DOCTYPE, nesting within MAX_DEPTH: a parser reads the same element
   * paths as this scanner. A document cut at the inspected body's end may leave its last elements open.
   */
  readonly wellFormed: boolean;
}

interface Element {
  readonly parent: Element | undefined;
  readonly qname: string;
  readonly path: string;
  readonly depth: number;
  children: number;
  /** Some text of its own that is not blank. */
  text: boolean;
  readonly pieces: Span[];
}

const MAX_DEPTH = 64;
/** Longest element or attribute name kept in a path (the rest is dropped: paths only name locations). */
const NAME_IN_PATH = 128;
/** XML names: any run of characters that cannot end one (Unicode letters included, as XML 1.0 allows). */
const NAME = /[^\s<>/=!?"'][^\s<>/="']*/y;
const ATTRIBUTE = /\s*([^\s<>/="']+)\s*=\s*/y;
const TAG_END = /\s*\/?>/y;
const BLANK = /^\s*$/;

/** `complete` is false when the body was cut at the inspected size: open elements at its end are expected. */
export function xmlValues(body: string, max: number, complete = true): XmlValues {
  const values: XmlValue[] = [];
  const pendingRecords: [value: number, element: Element][] = [];
  let wellFormed = true;
  let truncated = false;
  let top: Element | undefined;
  let root: Element | undefined;

  /** `element` is the one whose own text this is (its record status is known when the scan ends), or whether an
   * attribute (true) or text outside any element (false) is. */
  const emit = (path: string, spans: readonly Span[], element: Element | boolean): void => {
    const value = (spans.length === 1 ? body.slice(spans[0]![0], spans[0]![1]) : spans.map(([a, b]) => body.slice(a, b)).join('')).trim();
    if (value.length === 0) return;
    if (values.length >= max) {
      truncated = true;
      return;
    }
    if (typeof element !== 'boolean') pendingRecords.push([values.length, element]);
    values.push({ path, value, spans, record: element === true });
  };
  const text = (from: number, to: number, cdata = false): void => {
    if (to <= from) return;
    const blank = BLANK.test(body.slice(from, to));
    if (!blank && !cdata && body.slice(from, to).includes('<')) wellFormed = false;
    if (top === undefined) {
      if (!blank) {
        wellFormed = false;
        emit('text', [[from, to]], false);
      }
      return;
    }
    top.pieces.push([from, to]);
    if (!blank) top.text = true;
  };
  const close = (e: Element): void => {
    if (e.pieces.length > 0) emit(e.path, e.pieces, e);
  };
  /** The index just past `end` searched from `from`, or -1 (unterminated: the rest is that construct). */
  const past = (end: string, from: number): number => {
    const i = body.indexOf(end, from);
    return i === -1 ? -1 : i + end.length;
  };

  let last = 0;
  let i = body.indexOf('<');
  while (i !== -1 && !truncated) {
    let next: number;
    const c = body.charCodeAt(i + 1);
    // `<` then a blank, `<`, `>`, `=` or a quote opens nothing (tested first: a run of `<` must stay cheap).
    if (c !== c || c <= 32 || c === 60 || c === 62 || c === 61 || c === 34 || c === 39) {
      wellFormed = false;
      i = body.indexOf('<', i + 1);
      continue;
    }
    if (body.startsWith('<!--', i)) {
      text(last, i);
      next = past('-->', i + 4);
    } else if (body.startsWith('<![CDATA[', i)) {
      text(last, i);
      next = past(']]>', i + 9);
      if (next !== -1) text(i + 9, next - 3, true);
    } else if (body.startsWith('<?', i)) {
      text(last, i);
      next = past('?>', i + 2);
    } else if (body.startsWith('<!', i)) {
      // A DOCTYPE, and any other declaration: to the `>` after a bracketed internal subset, quotes skipped.
      text(last, i);
      wellFormed = false;
      next = declarationEnd(body, i + 2);
    } else {
      const closing = body.startsWith('</', i);
      NAME.lastIndex = i + (closing ? 2 : 1);
      const nameMatch = NAME.exec(body);
      if (nameMatch === null) {
        // A `<` that opens nothing: text to a lenient reader, an error to a parser.
        wellFormed = false;
        i = body.indexOf('<', i + 1);
        continue;
      }
      text(last, i);
      const qname = nameMatch[0];
      if (closing) {
        TAG_END.lastIndex = NAME.lastIndex;
        if (TAG_END.test(body)) next = TAG_END.lastIndex;
        else {
          wellFormed = false;
          next = past('>', NAME.lastIndex);
        }
        if (top === undefined || top.qname !== qname) wellFormed = false;
        if (top !== undefined) {
          close(top);
          top = top.parent;
        }
      } else {
        const local = (qname.includes(':') ? qname.slice(qname.indexOf(':') + 1) : qname).slice(0, NAME_IN_PATH);
        const depth = (top?.depth ?? 0) + 1;
        // Paths stop growing at MAX_DEPTH.
        const path = top === undefined ? local : depth > MAX_DEPTH ? top.path : `${top.path}.${local}`;
        if (depth > MAX_DEPTH) wellFormed = false;
        if (top === undefined && root !== undefined) wellFormed = false; // a second root
        const element: Element = { parent: top, qname, path, depth, children: 0, text: false, pieces: [] };
        if (top !== undefined) top.children++;
        root ??= element;
        const tag = startTag(body, NAME.lastIndex, path, (p, spans) => emit(p, spans, true));
        next = tag.end;
        if (!tag.clean) wellFormed = false;
        if (next !== -1 && !tag.empty) top = element;
      }
    }
    if (next === -1) {
      if (complete) wellFormed = false;
      last = body.length;
      break;
    }
    last = next;
    i = body.indexOf('<', next);
  }
  if (!truncated && last < body.length) text(last, body.length);
  if (top !== undefined && complete) wellFormed = false;
  for (let e = top; e !== undefined && !truncated; e = e.parent) close(e);

  // Records are known once their parents have closed: a leaf whose parent holds two or more elements and no text,
  // under ancestors without text, in a SOAP envelope.
  const soap = root !== undefined && /(?:^|:)Envelope$/.test(root.qname);
  for (const [index, element] of pendingRecords) {
    const v = values[index]!;
    values[index] = { ...v, record: soap && element.children === 0 && isRecordMember(element) };
  }
  return { values, truncated, wellFormed };
}

function isRecordMember(element: Element): boolean {
  const parent = element.parent;
  if (parent === undefined || parent.children < 2) return false;
  for (let a: Element | undefined = parent; a !== undefined; a = a.parent) if (a.text) return false;
  return true;
}

/**
 * Reads a start tag's attributes from `at`: where it ends (past its `>`, or -1 when it never does), whether it is
 * empty (`/>`), and whether everything in it was a quoted attribute (else a parser may read it otherwise).
 */
function startTag(
  body: string,
  at: number,
  path: string,
  attribute: (path: string, spans: readonly Span[]) => void,
): { end: number; empty: boolean; clean: boolean } {
  let i = at;
  for (;;) {
    TAG_END.lastIndex = i;
    if (TAG_END.test(body))
      return { end: TAG_END.lastIndex, empty: body.charCodeAt(TAG_END.lastIndex - 2) === 47, clean: true };
    ATTRIBUTE.lastIndex = i;
    const a = ATTRIBUTE.exec(body);
    const q = a === null ? undefined : body[ATTRIBUTE.lastIndex];
    if (a === null || (q !== '"' && q !== "'")) {
      // Junk a parser rejects (or reads its own way): the tag ends at the next `>`, and the document is not trusted.
      const end = body.indexOf('>', i);
      return { end: end === -1 ? -1 : end + 1, empty: false, clean: false };
    }
    const open = ATTRIBUTE.lastIndex + 1;
    const close = body.indexOf(q, open);
    if (close === -1) return { end: -1, empty: false, clean: false };
    if (!a[1]!.startsWith('xmlns')) attribute(`${path}.@${a[1]!.slice(0, NAME_IN_PATH)}`, [[open, close]]);
    i = close + 1;
  }
}

/** The index past a declaration (`<!DOCTYPE …>`) begun before `at`: its internal subset and quoted strings skipped. */
function declarationEnd(body: string, at: number): number {
  for (let i = at; i < body.length; i++) {
    const c = body[i];
    if (c === '>') return i + 1;
    if (c === '"' || c === "'") {
      const close = body.indexOf(c, i + 1);
      if (close === -1) return -1;
      i = close;
    } else if (c === '[') {
      const close = body.indexOf(']', i + 1);
      if (close === -1) return -1;
      i = close;
    }
  }
  return -1;
}

/**
 * The document with the given values blanked where they stand (spaces, same length, line breaks kept), for the
 * whole-document copy the rules also read: a SOAP login's password is judged as a password on its own
 * (credential-fields.ts), and blanking by position cannot reach text elsewhere that merely equals it (a review's
 * password `SYSTEM` had blanked a DOCTYPE's).
 */
export function blankValues(body: string, blanks: readonly XmlValue[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of blanks.flatMap((v) => v.spans).sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    parts.push(body.slice(at, start), body.slice(start, end).replace(/[^\r\n]/g, ' '));
    at = end;
  }
  parts.push(body.slice(at));
  return parts.join('');
}
