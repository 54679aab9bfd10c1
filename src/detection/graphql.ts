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

/** What a GraphQL request's `query` starts with: an operation keyword or a selection set (or a fragment). */
const DOCUMENT = /^\s{0,64}(?:(?:query|mutation|subscription|fragment)\b[^{}]{0,512})?\{/;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function isGraphqlDocument(text: string): boolean {
  return DOCUMENT.test(text);
}

/** Up to `max` non-empty string values of `doc`, in document order. */
export function graphqlStrings(doc: string, max: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < doc.length && out.length < max) {
    const c = doc.charCodeAt(i);
    if (c === 0x23 /* # */) {
      const nl = doc.indexOf('\n', i);
      i = nl === -1 ? doc.length : nl + 1;
    } else if (c === 0x22 /* " */) {
      if (doc.startsWith('"""', i)) {
        const end = blockEnd(doc, i + 3);
        const value = doc.slice(i + 3, end).replaceAll('\\"""', '"""');
        if (value.trim() !== '') out.push(value);
        i = end + 3;
      } else {
        const [value, next] = stringValue(doc, i + 1);
        if (value !== '') out.push(value);
        i = next;
      }
    } else i++;
  }
  return out;
}

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
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(doc.slice(i + 2, i + 6))) {
        value += String.fromCharCode(Number.parseInt(doc.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
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
