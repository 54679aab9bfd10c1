/**
 * Pulls text nodes and attribute values out of an XML body without building a tree or resolving anything
 * (an XML parser that resolves entities is the XXE attack surface itself). The prolog (DOCTYPE, ENTITY
 * declarations) stays visible to rules through the raw body input.
 *
 * A scanner, not a regex: each construct ends where an XML parser ends it — a processing instruction at `?>`, a
 * comment at `-->`, CDATA at `]]>`, a DOCTYPE after its internal subset (comments, instructions and quoted values
 * in it skipped), a start tag at the first `>` outside a quoted attribute value; names are any run of
 * non-delimiters (XML 1.0 allows letters of every script). Reviews found each of these read otherwise by the regex
 * tokenizer this replaced. An element's value is all of its own text joined, across comments, processing
 * instructions, CDATA and child elements, as DOM's textContent and XPath's string() read it (`${jn<!---->di:…}` is
 * `${jndi:…}`); an element with text of its own and text in its children (mixed content) is also read whole,
 * within a budget. Linear: every search moves forward.
 *
 * The document's own entities are not substituted (nested ones, markup inside them and entity bombs make that a
 * parser's job): a reference glued to other text, where it can complete a payload only the parser sees whole
 * (`${&j;di:…}`), is reported instead (`internalEntity`). A reference standing alone (`<title>&product;</title>`,
 * Illustrator's `requiredExtensions="&ns_ai;"`) adds only the entity's text, which the raw document shows the rules.
 *
 * No value is trusted for where it stands: four review rounds found ways to make this scanner, a parser and an
 * application disagree on which text is a `<Password>`, so an XML password is judged in full and only kept out of
 * the records (body.ts): `secret` marks a value inside or joining an element the caller's `isSecret` names.
 */
export interface XmlValue {
  readonly path: string;
  readonly value: string;
  /** Inside an element or attribute `isSecret` names, or joining one's text. */
  readonly secret?: true;
}

export interface XmlValues {
  readonly values: XmlValue[];
  readonly truncated: boolean;
  /** Mixed content was not all read whole (past the join budget, or split finer than MIXED_SPANS). */
  readonly joinsCut: boolean;
  /** An entity the document's own DTD declares, referenced glued to other text (`${&j;di:…}`). */
  readonly internalEntity?: string;
}

type Span = readonly [start: number, end: number];

interface Element {
  readonly parent: Element | undefined;
  readonly path: string;
  /** The path at MAX_DEPTH, under which deeper elements keep only their own name (`…deep.password`). */
  readonly base: string;
  readonly depth: number;
  /** It, or an ancestor, is named like a secret. */
  readonly secret: boolean;
  /** Where its own text stands: joined into one value when it closes. */
  readonly pieces: Span[];
  /** Its own and its descendants' text, in order, while mixed content may need it (undefined past MIXED_SPANS). */
  all: Span[] | undefined;
  /** `all` holds a secret element's text. */
  allSecret: boolean;
  /** Some child element held text. */
  childText: boolean;
}

const MAX_DEPTH = 64;
/** Longest element or attribute name kept in a path (the rest is dropped: paths only name locations). */
const NAME_IN_PATH = 128;
/** XML names: any run of characters that cannot end one (Unicode letters included, as XML 1.0 allows). */
const NAME = /[^\s<>/=!?"'][^\s<>/="']*/y;
const ATTRIBUTE = /\s*([^\s<>/="']+)\s*=\s*/y;
const TAG_END = /\s*\/?>/y;
/** Spans of text kept per element for its textContent; a document split finer than this is not joined. */
const MIXED_SPANS = 256;
/** General entities a DTD declares (parameter entities, `%name`, are the XXE rules' business). */
const ENTITY_DECL = /<!ENTITY\s+([^\s%"'<>]+)\s/g;
const ENTITY_REF = /&([^\s;&<>#%]+);/g;
/** What may stand beside a reference that adds only its own text: blanks, quotes, markup edges, the value's ends. */
const LOOSE = /[\s"'<>]/;

export function xmlValues(body: string, max: number, isSecret: (path: string) => boolean = () => false): XmlValues {
  const values: XmlValue[] = [];
  let truncated = false;
  let top: Element | undefined;
  const entities = new Set<string>();
  let internalEntity: string | undefined;
  // What mixed-content joins may add, in characters: nested mixed elements each repeat their descendants' text.
  let joinBudget = body.length + 65_536;
  let joinsCut = false;

  /** Notes a declared entity referenced glued to other text in `text`. */
  const references = (text: string): void => {
    if (entities.size === 0 || internalEntity !== undefined || !text.includes('&')) return;
    for (const m of text.matchAll(ENTITY_REF)) {
      if (!entities.has(m[1]!)) continue;
      const before = text[m.index - 1];
      const after = text[m.index + m[0].length];
      if ((before !== undefined && !LOOSE.test(before)) || (after !== undefined && !LOOSE.test(after))) {
        internalEntity = m[1]!;
        return;
      }
    }
  };
  const emit = (path: string, spans: readonly Span[], secret: boolean): void => {
    const value = (
      spans.length === 1 ? body.slice(spans[0]![0], spans[0]![1]) : spans.map(([a, b]) => body.slice(a, b)).join('')
    ).trim();
    if (value.length === 0) return;
    if (values.length >= max) {
      truncated = true;
      return;
    }
    references(value);
    values.push(secret ? { path, value, secret } : { path, value });
  };
  const text = (from: number, to: number): void => {
    if (to <= from) return;
    if (top === undefined) emit('text', [[from, to]], false);
    else {
      top.pieces.push([from, to]);
      if (top.all !== undefined) top.all.push([from, to]);
    }
  };
  const close = (e: Element): void => {
    if (e.pieces.length > 0) emit(e.path, e.pieces, e.secret);
    // Mixed content: its own text and a child's together are one string to textContent and XPath
    // (`<q>1' UNION <b>SELECT</b> password FROM users--</q>`). Containers without text of their own are not
    // joined: a login record's user and password would become one value.
    const mixed = e.childText && e.pieces.some(([a, b]) => body.slice(a, b).trim() !== '');
    if (mixed && e.all === undefined) joinsCut = true;
    if (mixed && e.all !== undefined) {
      let length = 0;
      for (const [a, b] of e.all) length += b - a;
      joinBudget -= length;
      // Past the budget the rest is not joined, and the limit says so (a review nested mixed elements 100 deep).
      if (joinBudget < 0) joinsCut = true;
      else emit(e.path, e.all, e.secret || e.allSecret);
    }
    const parent = e.parent;
    if (parent !== undefined && (e.all === undefined || e.all.length > 0)) {
      parent.childText = true;
      if (e.secret || e.allSecret) parent.allSecret = true;
      if (parent.all !== undefined && e.all !== undefined && parent.all.length + e.all.length <= MIXED_SPANS)
        for (const span of e.all) parent.all.push(span);
      else parent.all = undefined;
    }
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
      i = body.indexOf('<', i + 1);
      continue;
    }
    if (body.startsWith('<!--', i)) {
      text(last, i);
      next = past('-->', i + 4);
    } else if (body.startsWith('<![CDATA[', i)) {
      text(last, i);
      next = past(']]>', i + 9);
      if (next !== -1) text(i + 9, next - 3);
    } else if (body.startsWith('<?', i)) {
      text(last, i);
      next = past('?>', i + 2);
    } else if (body.startsWith('<!', i)) {
      // A DOCTYPE, and any other declaration: to the `>` after its internal subset.
      text(last, i);
      next = declarationEnd(body, i + 2);
      if (top === undefined) {
        const dtd = body.slice(i, next === -1 ? body.length : next);
        for (const m of dtd.matchAll(ENTITY_DECL)) entities.add(m[1]!);
        // References inside the DTD itself: entity values built of others, attribute defaults (`<!ATTLIST q v
        // CDATA "${&j;di:…}">`).
        references(dtd);
      }
    } else {
      const closing = body.startsWith('</', i);
      NAME.lastIndex = i + (closing ? 2 : 1);
      const nameMatch = NAME.exec(body);
      if (nameMatch === null) {
        // A `<` that opens nothing: text to a lenient reader, an error to a parser.
        i = body.indexOf('<', i + 1);
        continue;
      }
      text(last, i);
      if (closing) {
        TAG_END.lastIndex = NAME.lastIndex;
        next = TAG_END.test(body) ? TAG_END.lastIndex : past('>', NAME.lastIndex);
        if (top !== undefined) {
          close(top);
          top = top.parent;
        }
      } else {
        const qname = nameMatch[0];
        const local = (qname.includes(':') ? qname.slice(qname.indexOf(':') + 1) : qname).slice(0, NAME_IN_PATH);
        const depth = (top?.depth ?? 0) + 1;
        // Paths stop growing at MAX_DEPTH, but keep the element's own name last (a password 65 deep is one).
        const path = top === undefined ? local : depth > MAX_DEPTH ? `${top.base}.${local}` : `${top.path}.${local}`;
        const base = depth > MAX_DEPTH ? top!.base : path;
        // Judged once per element, on its own name (a path's last part; an ancestor's secrecy is inherited).
        const secret = (top?.secret ?? false) || isSecret(local);
        const tag = startTag(body, NAME.lastIndex, path, (p, spans, name) => emit(p, spans, secret || isSecret(name)));
        next = tag.end;
        if (next !== -1 && !tag.empty)
          top = { parent: top, path, base, depth, secret, pieces: [], all: [], allSecret: false, childText: false };
      }
    }
    if (next === -1) {
      last = body.length;
      break;
    }
    last = next;
    i = body.indexOf('<', next);
  }
  if (!truncated && last < body.length) text(last, body.length);
  for (let e = top; e !== undefined && !truncated; e = e.parent) close(e);
  return { values, truncated, joinsCut, ...(internalEntity === undefined ? {} : { internalEntity }) };
}

/** Reads a start tag's attributes from `at`: where it ends (past its `>`, or -1 if never), and if it is empty (`/>`). */
function startTag(
  body: string,
  at: number,
  path: string,
  attribute: (path: string, spans: readonly Span[], name: string) => void,
): { end: number; empty: boolean } {
  let i = at;
  for (;;) {
    TAG_END.lastIndex = i;
    if (TAG_END.test(body)) return { end: TAG_END.lastIndex, empty: body.charCodeAt(TAG_END.lastIndex - 2) === 47 };
    ATTRIBUTE.lastIndex = i;
    const a = ATTRIBUTE.exec(body);
    const q = a === null ? undefined : body[ATTRIBUTE.lastIndex];
    if (a === null || (q !== '"' && q !== "'")) {
      // Junk a parser rejects (or reads its own way): the tag ends at the next `>`.
      const end = body.indexOf('>', i);
      return { end: end === -1 ? -1 : end + 1, empty: false };
    }
    const open = ATTRIBUTE.lastIndex + 1;
    const close = body.indexOf(q, open);
    if (close === -1) return { end: -1, empty: false };
    // Namespace declarations are no values (`xmlns`, `xmlns:p`); `xmlnsCmd` is an attribute like any other.
    const name = a[1]!;
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) {
      const local = (name.includes(':') ? name.slice(name.indexOf(':') + 1) : name).slice(0, NAME_IN_PATH);
      attribute(`${path}.@${name.slice(0, NAME_IN_PATH)}`, [[open, close]], local);
    }
    i = close + 1;
  }
}

/**
 * The index past a declaration (`<!DOCTYPE …>`) begun before `at`: quoted strings skipped, and in its internal
 * subset comments and processing instructions too (a `]` in one had ended the subset early for a review).
 */
function declarationEnd(body: string, at: number): number {
  let subset = false;
  for (let i = at; i < body.length; i++) {
    const c = body[i];
    if (c === '"' || c === "'") {
      const close = body.indexOf(c, i + 1);
      if (close === -1) return -1;
      i = close;
    } else if (subset && body.startsWith('<!--', i)) {
      const close = body.indexOf('-->', i + 4);
      if (close === -1) return -1;
      i = close + 2;
    } else if (subset && body.startsWith('<?', i)) {
      const close = body.indexOf('?>', i + 2);
      if (close === -1) return -1;
      i = close + 1;
    } else if (c === '[') subset = true;
    else if (c === ']') subset = false;
    else if (c === '>' && !subset) return i + 1;
  }
  return -1;
}
