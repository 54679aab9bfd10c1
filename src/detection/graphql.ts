/**
 * The string arguments of a GraphQL document sent as `query` (`search(q: "1 or 1=1")`), unescaped as a GraphQL
 * server reads them. A client can move any variable into an inline literal, so what is inspected in `variables` must
 * be inspected there too: inside the document a payload is not at the start of its value, and its quotes arrive as
 * `\"`, so anchored rules and libinjection missed it (a placement test had 12 payloads blocked as variables and
 * clean inline).
 *
 * One pass over the document, no regex backtracking: strings (`"…"` with GraphQL's escapes, `"""…"""` block
 * strings) and comments (`#` to the end of the line) are read as the GraphQL lexer reads them.
 */

/**
 * What a GraphQL document's first token is, after GraphQL's ignored tokens (white space, commas, `#` comments that
 * end at a CR or LF): an operation keyword, `fragment`, or a selection set — but not a JSON object (`{"path": …}`,
 * a REST filter in a `query` parameter).
 */
const FIRST_TOKEN = /(?:query|mutation|subscription|fragment)\b|\{(?![\s,]{0,64}")/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function isGraphqlDocument(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x2c || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff) i++;
    else if (c === 0x23) i = commentEnd(text, i);
    else break;
  }
  FIRST_TOKEN.lastIndex = i;
  return FIRST_TOKEN.test(text);
}

/** The index after a `#` comment starting at `at`: GraphQL ends one at a CR as well as an LF. */
function commentEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return i + 1;
  }
  return text.length;
}

/**
 * Up to `max` non-empty string values of `doc`, in document order, and whether more were left unread. A string of
 * word characters, dots, `@`, `+` or `-` only (an id, a name, a date) is skipped: nothing in it is read differently
 * alone than inside the document, and a bulk fetch of 250 ids made 250 values.
 */
export function graphqlStrings(doc: string, max: number): { values: string[]; more: boolean } {
  const out: string[] = [];
  let i = 0;
  while (i < doc.length) {
    if (out.length >= max) return { values: out, more: doc.indexOf('"', i) !== -1 };
    const c = doc.charCodeAt(i);
    if (c === 0x23 /* # */) {
      i = commentEnd(doc, i);
    } else if (c === 0x22 /* " */) {
      if (doc.startsWith('"""', i)) {
        const end = blockEnd(doc, i + 3);
        const value = doc.slice(i + 3, end).replaceAll('\\"""', '"""');
        if (value.trim() !== '' && !INERT.test(value)) out.push(value);
        i = end + 3;
      } else {
        const [value, next] = stringValue(doc, i + 1);
        if (value !== '' && !INERT.test(value)) out.push(value);
        i = next;
      }
    } else i++;
  }
  return { values: out, more: false };
}

const INERT = /^[\w.@+-]{1,256}$/;

/** Index of the `"""` that closes a block string starting at `from` (an escaped `\"""` does not), or the end. */
function blockEnd(doc: string, from: number): number {
  let at = from;
  for (;;) {
    const end = doc.indexOf('"""', at);
    if (end === -1) return doc.length;
    if (doc[end - 1] !== '\\') return end;
    at = end + 3;
  }
}

/** A `"…"` string's value from just after its opening quote, and the index after its end (a line break ends it). */
function stringValue(doc: string, from: number): [string, number] {
  let value = '';
  let i = from;
  while (i < doc.length) {
    const ch = doc[i]!;
    if (ch === '"' || ch === '\n') return [value, i + 1];
    if (ch === '\\' && i + 1 < doc.length) {
      const e = doc[i + 1]!;
      if (e === 'u') {
        // `\u0022`, and GraphQL 2021's `\u{22}` (graphql-js 16 reads both).
        const fixed = /^[0-9a-fA-F]{4}/.exec(doc.slice(i + 2, i + 6));
        const braced = fixed === null ? /^\{([0-9a-fA-F]{1,6})\}/.exec(doc.slice(i + 2, i + 11)) : null;
        const hex = fixed?.[0] ?? braced?.[1];
        const cp = hex === undefined ? NaN : Number.parseInt(hex, 16);
        if (cp <= 0x10ffff) {
          value += String.fromCodePoint(cp);
          i += 2 + (fixed !== null ? 4 : braced![0].length);
          continue;
        }
      }
      value += ESCAPES[e] ?? e;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  return [value, i];
}
