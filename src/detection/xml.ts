/**
 * Pulls text nodes and attribute values out of an XML body without building a tree or resolving anything
 * (an XML parser that resolves entities is the XXE attack surface itself). The prolog (DOCTYPE, ENTITY
 * declarations) stays visible to rules through the raw body input.
 */
export interface XmlValue {
  readonly path: string;
  readonly value: string;
  /** Where `value` starts in the body: a password's text can be blanked there and nowhere else. */
  readonly start: number;
}

export function xmlValues(body: string, max: number): { values: XmlValue[]; truncated: boolean } {
  const values: XmlValue[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>|<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<[!?][^>]*>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const push = (value: string, at: number): boolean => {
    const v = value.trimStart();
    const start = at + value.length - v.length;
    const t = v.trimEnd();
    if (t.length === 0) return true;
    if (values.length >= max) return false;
    values.push({ path: stack.join('.') || 'text', value: t, start });
    return true;
  };
  while ((m = tag.exec(body)) !== null) {
    if (!push(body.slice(last, m.index), last)) return { values, truncated: true };
    last = tag.lastIndex;
    if (m[5] !== undefined) {
      if (!push(m[5], m.index + '<![CDATA['.length)) return { values, truncated: true };
      continue;
    }
    if (m[2] === undefined) continue;
    const name = m[2].includes(':') ? m[2].slice(m[2].indexOf(':') + 1) : m[2];
    if (m[1] === '/') {
      stack.pop();
      continue;
    }
    const attrsAt = m.index + 1 + m[1]!.length + m[2].length;
    for (const a of (m[3] ?? '').matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/dg)) {
      if (a[1]!.startsWith('xmlns')) continue;
      if (values.length >= max) return { values, truncated: true };
      const quoted = a.indices![2] ?? a.indices![3]!;
      values.push({ path: [...stack, name, `@${a[1]}`].join('.'), value: a[2] ?? a[3] ?? '', start: attrsAt + quoted[0] });
    }
    if (m[4] !== '/' && stack.length < 64) stack.push(name);
  }
  push(body.slice(last), last);
  return { values, truncated: false };
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
