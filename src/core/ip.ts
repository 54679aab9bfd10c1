import { isIPv4, isIPv6 } from 'node:net';

/**
 * Address helpers for the identify stage. The decision gate has its own packed representation (src/decisions/);
 * these work on strings because that is what sockets and headers give us.
 */

/** `::ffff:1.2.3.4` → `1.2.3.4` (dual-stack sockets report v4 peers that way), v6 lower-cased and compressed. */
export function normalizeIp(addr: string): string | undefined {
  let a = addr.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone !== -1) a = a.slice(0, zone);
  if (isIPv4(a)) return a;
  if (!isIPv6(a)) return undefined;
  const lower = a.toLowerCase();
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  return compressV6(expandV6(lower));
}

/** Eight 16-bit groups of a valid IPv6 address (embedded dotted v4 tail allowed). */
export function expandV6(addr: string): number[] {
  let text = addr;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => Number.parseInt(g, 16));
}

/** RFC 5952 text form: longest run of two or more zero groups becomes `::`. */
export function compressV6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** The /24 of a v4 address or the /64 of a v6 one: attackers renting a block rotate inside it. */
export function subnetOf(ip: string): string {
  if (isIPv4(ip)) return `${ip.slice(0, ip.lastIndexOf('.'))}.0/24`;
  const g = expandV6(ip);
  return `${compressV6([g[0]!, g[1]!, g[2]!, g[3]!, 0, 0, 0, 0])}/64`;
}
