import { declarationEnd, ENTITY_REF, readDtd } from './xml-dtd.ts';

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
 * The document's own entities with plain text values (DocBook's `&product;`, Illustrator's `&st0;`, an attacker's
 * `<!ENTITY j "jn">`) are substituted in values once, as the parser does, within a budget, so `${&j;di:…}` and
 * `1' UNION &a;` are read whole. One whose value holds markup or another reference (nesting, the entity-bomb
 * shape), one longer than 4 KB (xml-dtd.ts), and any reference inside the DTD itself (an ATTLIST default) is not
 * substituted but reported (`internalEntity`).
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
  /** Elements nested past MAX_NESTING: those deeper tags were read flat into the element at the limit. */
  readonly nestedTooDeep: boolean;
  /** Mixed content was not all read whole (past the join budget, or split finer than MIXED_SPANS). */
  readonly joinsCut: boolean;
  /** An entity of the document's own DTD used where it is not substituted (nested, markup, too long, in the DTD). */
  readonly internalEntity?: string;
}

type Span = readonly [start: number, end: number];

interface Element {
  readonly parent: Element | undefined;
  readonly path: string;
  readonly local: string;
  /** The path at MAX_DEPTH, under which deeper elements keep only their own name (`…deep.password`). */
  readonly base: string;
  readonly depth: number;
  /** It, or an ancestor, is named like a secret (or follows a `<name>password</name>` sibling, as in XML-RPC). */
  readonly secret: boolean;
  /** The last child was a `<name>` or `<key>` naming a secret: the next child holds its value. */
  nextSecret: boolean;
  /** Where its own text stands: joined into one value when it closes. */
  readonly pieces: Span[];
  /** Its own and its descendants' text, in order, while mixed content may need it (undefined past MIXED_SPANS). */
  all: Span[] | undefined;
  /** `all` holds a secret element's text. */
  allSecret: boolean;
  /** Some child element held text. */
  childText: boolean;
  /** Tags past MAX_NESTING were read flat into it: its text is kept out of the records. */
  flat: boolean;
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
/** Nesting past which elements are not read (no API document nests this deep; a review nested 43,000 levels). */
const MAX_NESTING = 256;
/** Elements whose text names the field its next sibling holds (XML-RPC `<member><name>…</name><value>`). */
const NAMING_ELEMENTS = new Set(['name', 'key']);
/** Attributes that name the field their element holds (`<field name="password">…</field>`). */
const NAMING_ATTRIBUTES = new Set(['name', 'key', 'id', 'field', 'param']);

export function xmlValues(body: string, max: number, isSecret: (path: string) => boolean = () => false): XmlValues {
  const values: XmlValue[] = [];
  let truncated = false;
  let top: Element | undefined;
  /** Declared entities: their plain text, or undefined when it is not substituted (see `internalEntity`). */
  const entities = new Map<string, string | undefined>();
  let internalEntity: string | undefined;
  // What mixed-content joins and entity substitution may add, in characters (and span copies): nested mixed
  // elements each repeat their descendants' text, and an entity its value at every reference.
  let joinBudget = body.length + 65_536;
  let joinsCut = false;
  let nestedTooDeep = false;
  let ignoredOpen = 0;

  /** `text` with the document's plain entities substituted once; others noted in `internalEntity`. */
  const substitute = (text: string): string => {
    if (entities.size === 0 || !text.includes('&')) return text;
    return text.replace(ENTITY_REF, (ref, name: string) => {
      if (!entities.has(name)) return ref;
      const plain = entities.get(name);
      if (plain === undefined || joinBudget < plain.length) {
        internalEntity ??= name;
        if (plain !== undefined) joinsCut = true;
        return ref;
      }
      joinBudget -= plain.length;
      return plain;
    });
  };
  const emit = (path: string, spans: readonly Span[], secret: boolean): void => {
    const raw = (
      spans.length === 1 ? body.slice(spans[0]![0], spans[0]![1]) : spans.map(([a, b]) => body.slice(a, b)).join('')
    ).trim();
    if (raw.length === 0) return;
    if (values.length >= max) {
      truncated = true;
      return;
    }
    const value = substitute(raw);
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
    if (e.pieces.length > 0) emit(e.path, e.pieces, e.secret || e.flat);
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
      else emit(e.path, e.all, e.secret || e.allSecret || e.flat);
    }
    const parent = e.parent;
    if (parent === undefined) return;
    // XML-RPC's `<member><name>password</name><value>…</value>`: the next sibling holds a secret.
    if (NAMING_ELEMENTS.has(e.local.toLowerCase()) && e.pieces.length > 0) {
      const named = e.pieces.map(([a, b]) => body.slice(a, b)).join('').trim();
      if (named.length <= 128 && isSecret(named)) parent.nextSecret = true;
    }
    if (e.all === undefined || e.all.length > 0) {
      parent.childText = true;
      if (e.secret || e.allSecret || e.flat) parent.allSecret = true;
      // Span copies are charged to the budget: 43,000 nested levels each copying 256 spans took 0.5–0.9 s.
      if (parent.all !== undefined && e.all !== undefined && parent.all.length + e.all.length <= MIXED_SPANS && joinBudget >= e.all.length) {
        joinBudget -= e.all.length;
        for (const span of e.all) parent.all.push(span);
      } else parent.all = undefined;
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
        const dtd = readDtd(body.slice(i, next === -1 ? body.length : next));
        for (const [name, value] of dtd.entities) if (!entities.has(name)) entities.set(name, value);
        internalEntity ??= dtd.referenced;
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
        if (ignoredOpen > 0) ignoredOpen--;
        else if (top !== undefined) {
          close(top);
          top = top.parent;
        }
      } else {
        const qname = nameMatch[0];
        const local = (qname.includes(':') ? qname.slice(qname.indexOf(':') + 1) : qname).slice(0, NAME_IN_PATH);
        const depth = (top?.depth ?? 0) + 1;
        if (depth > MAX_NESTING) {
          // Deeper start tags are not elements here: their text joins the element at the limit, and their end tags
          // are matched off, so what follows is still read (a review hid a payload after 257 open tags).
          nestedTooDeep = true;
          // Names are not judged there: everything read flat is kept out of the records (a review's password past
          // 256 levels was recorded).
          top!.flat = true;
          const tag = startTag(body, NAME.lastIndex, top!.path);
          for (const a of tag.attributes) emit(a.path, [a.span], true);
          next = tag.end;
          if (next !== -1 && !tag.empty) ignoredOpen++;
          if (next === -1) {
            last = body.length;
            break;
          }
          last = next;
          i = body.indexOf('<', next);
          continue;
        }
        // Paths stop growing at MAX_DEPTH, but keep the element's own name last (a password 65 deep is one).
        const path = top === undefined ? local : depth > MAX_DEPTH ? `${top.base}.${local}` : `${top.path}.${local}`;
        const base = depth > MAX_DEPTH ? top!.base : path;
        const tag = startTag(body, NAME.lastIndex, path);
        // Judged once per element, on its own name (a path's last part; an ancestor's secrecy is inherited), the
        // sibling before it (`<name>password</name>`) and a naming attribute (`<field name="password">`).
        const inherited = (top?.secret ?? false) || top?.nextSecret === true || isSecret(local);
        const naming = (a: Attribute): boolean => NAMING_ATTRIBUTES.has(a.local.toLowerCase());
        const named = tag.attributes.some((a) => naming(a) && a.value.length <= 128 && isSecret(a.value));
        const secret = inherited || named;
        if (top !== undefined) top.nextSecret = false;
        // `<add key="password" value="…"/>`: the naming attribute names the element's other attributes too.
        for (const a of tag.attributes) emit(a.path, [a.span], inherited || isSecret(a.local) || (named && !naming(a)));
        next = tag.end;
        if (next !== -1 && !tag.empty)
          top = { parent: top, path, local, base, depth, secret, nextSecret: false, pieces: [], all: [], allSecret: false, childText: false, flat: false };
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
  return { values, truncated, nestedTooDeep, joinsCut, ...(internalEntity === undefined ? {} : { internalEntity }) };
}

interface Attribute {
  readonly path: string;
  readonly local: string;
  readonly value: string;
  readonly span: Span;
}

/** Reads a start tag's attributes from `at`: where it ends (past its `>`, or -1 if never), and if it is empty (`/>`). */
function startTag(body: string, at: number, path: string): { end: number; empty: boolean; attributes: Attribute[] } {
  const attributes: Attribute[] = [];
  let i = at;
  for (;;) {
    TAG_END.lastIndex = i;
    if (TAG_END.test(body))
      return { end: TAG_END.lastIndex, empty: body.charCodeAt(TAG_END.lastIndex - 2) === 47, attributes };
    ATTRIBUTE.lastIndex = i;
    const a = ATTRIBUTE.exec(body);
    const q = a === null ? undefined : body[ATTRIBUTE.lastIndex];
    if (a === null || (q !== '"' && q !== "'")) {
      // Junk a parser rejects (or reads its own way): the tag ends at the next `>`.
      const end = body.indexOf('>', i);
      return { end: end === -1 ? -1 : end + 1, empty: false, attributes };
    }
    const open = ATTRIBUTE.lastIndex + 1;
    let close = body.indexOf(q, open);
    // Unterminated: the value runs to the end, and is still read (and judged secret by its name: a review's
    // `<r password="…` with no closing quote was recorded through the whole body).
    const unterminated = close === -1;
    if (unterminated) close = body.length;
    // Namespace declarations are no values (`xmlns`, `xmlns:p`); `xmlnsCmd` is an attribute like any other.
    const name = a[1]!;
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) {
      const local = (name.includes(':') ? name.slice(name.indexOf(':') + 1) : name).slice(0, NAME_IN_PATH);
      attributes.push({ path: `${path}.@${name.slice(0, NAME_IN_PATH)}`, local, value: body.slice(open, close), span: [open, close] });
    }
    if (unterminated) return { end: -1, empty: false, attributes };
    i = close + 1;
  }
}
