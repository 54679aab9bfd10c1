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
   * Every element closed in order by its own name, every construct terminated, no `<` left in text, no DOCTYPE,
   * nesting within MAX_DEPTH: a parser reads the same element paths as this scanner.
   */
  readonly wellFormed: boolean;
}

const MAX_DEPTH = 64;
const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTRIBUTE = /\s*([\w.:-]+)\s*=\s*/y;

export function xmlValues(body: string, max: number): XmlValues {
  const values: XmlValue[] = [];
  const stack: string[] = [];
  const names: string[] = [];
  let wellFormed = true;
  let truncated = false;
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
    push(stack.join('.') || 'text', s, from, true);
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
    if (body.startsWith('<!--', i)) {
      text(last, i);
      next = past('-->', i + 4);
    } else if (body.startsWith('<![CDATA[', i)) {
      text(last, i);
      next = past(']]>', i + 9);
      if (next !== -1) push(stack.join('.') || 'text', body.slice(i + 9, next - 3), i + 9, true);
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
      const name = qname.includes(':') ? qname.slice(qname.indexOf(':') + 1) : qname;
      if (closing) {
        next = past('>', NAME.lastIndex);
        if (names.pop() !== qname) wellFormed = false;
        if (stack.length > names.length) stack.pop();
      } else {
        next = startTag(body, NAME.lastIndex, [...stack, name], push);
        if (next !== -1 && body.charCodeAt(next - 2) !== 47 /* not `/>` */) {
          // Paths stop growing at MAX_DEPTH (joining ten thousand names per value would be quadratic).
          names.push(qname);
          if (names.length <= MAX_DEPTH) stack.push(name);
          else wellFormed = false;
        }
      }
    }
    if (next === -1) {
      wellFormed = false;
      last = body.length;
      break;
    }
    last = next;
    i = body.indexOf('<', next);
  }
  if (!truncated) text(last, body.length);
  if (names.length > 0) wellFormed = false;
  return { values, truncated, wellFormed };
}

/** Reads a start tag's attributes from `at`; the index past its `>`, or -1 when it never ends. */
function startTag(
  body: string,
  at: number,
  path: readonly string[],
  push: (path: string, value: string, at: number, trim: boolean) => void,
): number {
  let i = at;
  for (;;) {
    ATTRIBUTE.lastIndex = i;
    const a = ATTRIBUTE.exec(body);
    if (a === null) {
      // No further `name=`: whatever stands before the `>` (blanks, `/`, or junk a parser rejects).
      const end = body.indexOf('>', i);
      return end === -1 ? -1 : end + 1;
    }
    const q = body[ATTRIBUTE.lastIndex];
    if (q !== '"' && q !== "'") {
      const end = body.indexOf('>', i);
      return end === -1 ? -1 : end + 1;
    }
    const open = ATTRIBUTE.lastIndex + 1;
    const close = body.indexOf(q, open);
    if (close === -1) return -1;
    if (!a[1]!.startsWith('xmlns')) push([...path, `@${a[1]}`].join('.'), body.slice(open, close), open, false);
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
