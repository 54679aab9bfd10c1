/**
 * Pulls text nodes and attribute values out of an XML body without building a tree or resolving anything
 * (an XML parser that resolves entities is the XXE attack surface itself). The prolog (DOCTYPE, ENTITY
 * declarations) stays visible to rules through the raw body input.
 *
 * A scanner, not a regex: each construct ends where an XML parser ends it — a processing instruction at `?>`, a
 * comment at `-->`, CDATA at `]]>`, a DOCTYPE after its internal subset, a start tag at the first `>` outside a
 * quoted attribute value. A seventh review filed text under a `<password>` that a regex tokenizer had found inside
 * a processing instruction (`<?pi x><password>?>`), where a parser sees none, and lost an attribute whose quoted
 * value held a `>`. Where the scanner and a parser could still disagree, `wellFormed` is false, and callers must
 * not trust the element paths (credential-fields.ts: nothing there is judged as a password). Linear: every
 * search moves forward.
 */
export interface XmlValue {
  readonly path: string;
  readonly value: string;
  /** Where `value` starts in the body: a password's text can be blanked there and nowhere else. */
  readonly start: number;
}

export interface XmlValues {
  readonly values: XmlValue[];
  readonly truncated: boolean;
  /**
   * Every element closed in order by its own name, every construct terminated, every tag read to its end, no `<`
   * left in text, no DOCTYPE, nesting within MAX_DEPTH: a parser reads the same element paths as this scanner.
   * A document cut at the inspected body's end may leave its last elements open.
   */
  readonly wellFormed: boolean;
}

const MAX_DEPTH = 64;
/** Longest element or attribute name kept in a path (the rest is dropped: paths only name locations). */
const NAME_IN_PATH = 128;
/** XML names: any run of characters that cannot end one (Unicode letters included, as XML 1.0 allows). */
const NAME = /[^\s<>/=!?"'][^\s<>/="']*/y;
const ATTRIBUTE = /\s*([^\s<>/="']+)\s*=\s*/y;
const TAG_END = /\s*\/?>/y;

/** `complete` is false when the body was cut at the inspected size: open elements at its end are expected. */
export function xmlValues(body: string, max: number, complete = true): XmlValues {
  const values: XmlValue[] = [];
  // The path of each open element, built once when it opens (joining the stack per value was quadratic).
  const paths: string[] = [];
  const names: string[] = [];
  let wellFormed = true;
  let truncated = false;
  const here = (): string => paths[paths.length - 1] ?? 'text';
  const push = (path: string, value: string, at: number, trim: boolean): void => {
    const v = trim ? value.trimStart() : value;
    const t = trim ? v.trimEnd() : v;
    if (trim && t.length === 0) return;
    if (values.length >= max) {
      truncated = true;
      return;
    }
    values.push({ path, value: t, start: at + value.length - v.length });
  };
  const text = (from: number, to: number): void => {
    if (to <= from) return;
    const s = body.slice(from, to);
    if (s.includes('<')) wellFormed = false;
    push(here(), s, from, true);
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
      if (next !== -1) push(here(), body.slice(i + 9, next - 3), i + 9, true);
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
      const local = (qname.includes(':') ? qname.slice(qname.indexOf(':') + 1) : qname).slice(0, NAME_IN_PATH);
      if (closing) {
        TAG_END.lastIndex = NAME.lastIndex;
        if (TAG_END.test(body)) next = TAG_END.lastIndex;
        else {
          wellFormed = false;
          next = past('>', NAME.lastIndex);
        }
        if (names.pop() !== qname) wellFormed = false;
        if (paths.length > names.length) paths.pop();
      } else {
        const path = paths.length > 0 ? `${here()}.${local}` : local;
        const tag = startTag(body, NAME.lastIndex, path, push);
        next = tag.end;
        if (!tag.clean) wellFormed = false;
        if (next !== -1 && !tag.empty) {
          // Paths stop growing at MAX_DEPTH.
          names.push(qname);
          if (names.length <= MAX_DEPTH) paths.push(path);
          else wellFormed = false;
        }
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
  if (names.length > 0 && complete) wellFormed = false;
  return { values, truncated, wellFormed };
}

/**
 * Reads a start tag's attributes from `at`: where it ends (past its `>`, or -1 when it never does), whether it is
 * empty (`/>`), and whether everything in it was a quoted attribute (else a parser may read it otherwise).
 */
function startTag(
  body: string,
  at: number,
  path: string,
  push: (path: string, value: string, at: number, trim: boolean) => void,
): { end: number; empty: boolean; clean: boolean } {
  let i = at;
  for (;;) {
    TAG_END.lastIndex = i;
    if (TAG_END.test(body)) return { end: TAG_END.lastIndex, empty: body.charCodeAt(TAG_END.lastIndex - 2) === 47, clean: true };
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
    if (!a[1]!.startsWith('xmlns'))
      push(`${path}.@${a[1]!.slice(0, NAME_IN_PATH)}`, body.slice(open, close), open, false);
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
  for (const v of [...blanks].sort((a, b) => a.start - b.start)) {
    if (v.start < at) continue;
    parts.push(body.slice(at, v.start), body.slice(v.start, v.start + v.value.length).replace(/[^\r\n]/g, ' '));
    at = v.start + v.value.length;
  }
  parts.push(body.slice(at));
  return parts.join('');
}
