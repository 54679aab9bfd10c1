/**
 * Pulls text nodes and attribute values out of an XML body without building a tree or resolving anything
 * (an XML parser that resolves entities is the XXE attack surface itself). The prolog (DOCTYPE, ENTITY
 * declarations) stays visible to rules through the raw body input.
 */
export function xmlValues(
  body: string,
  max: number,
): { values: { path: string; value: string }[]; truncated: boolean } {
  const values: { path: string; value: string }[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>|<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<[!?][^>]*>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const push = (value: string): boolean => {
    const v = value.trim();
    if (v.length === 0) return true;
    if (values.length >= max) return false;
    values.push({ path: stack.join('.') || 'text', value: v });
    return true;
  };
  while ((m = tag.exec(body)) !== null) {
    if (!push(body.slice(last, m.index))) return { values, truncated: true };
    last = tag.lastIndex;
    if (m[5] !== undefined) {
      if (!push(m[5])) return { values, truncated: true };
      continue;
    }
    if (m[2] === undefined) continue;
    const name = m[2].includes(':') ? m[2].slice(m[2].indexOf(':') + 1) : m[2];
    if (m[1] === '/') {
      stack.pop();
      continue;
    }
    for (const a of (m[3] ?? '').matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1]!.startsWith('xmlns')) continue;
      if (values.length >= max) return { values, truncated: true };
      values.push({ path: [...stack, name, `@${a[1]}`].join('.'), value: a[2] ?? a[3] ?? '' });
    }
    if (m[4] !== '/' && stack.length < 64) stack.push(name);
  }
  push(body.slice(last));
  return { values, truncated: false };
}
