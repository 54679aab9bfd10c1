import { urlDecode } from './decode.ts';

/**
 * Parses `a=1&a=2&b[c]=3&flag` the way common back ends do (PHP, qs, Rails): repeated keys stay separate
 * entries, bracketed keys stay as written (they are inspected as keys too: prototype pollution lives there),
 * keys without `=` have an empty value. `;` is not a separator (RFC 3986 leaves it to the application; CRS too).
 */
export function parseForm(text: string, maxArgs: number): { pairs: [string, string][]; truncated: boolean } {
  const pairs: [string, string][] = [];
  if (text.length === 0) return { pairs, truncated: false };
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      if (pairs.length >= maxArgs) return { pairs, truncated: true };
      const part = text.slice(start, end);
      const eq = part.indexOf('=');
      const key = eq === -1 ? part : part.slice(0, eq);
      const value = eq === -1 ? '' : part.slice(eq + 1);
      pairs.push([urlDecode(key, true), urlDecode(value, true)]);
    }
    start = end + 1;
  }
  return { pairs, truncated: false };
}

/** `user[name]` → `user.name`, `ids[]` → `ids`: locations read like JSON paths whatever the wire form. */
export function keyPath(key: string): string {
  if (key.indexOf('[') === -1) return key;
  return key.replace(/\[\]/g, '').replace(/\[([^\]]*)\]/g, '.$1');
}
