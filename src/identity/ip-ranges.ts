import { isIPv4, isIPv6 } from 'node:net';
import { expandV6, normalizeIp } from '../core/ip.ts';

/**
 * A small set of CIDR ranges for published crawler addresses (hundreds of entries per operator). Lookups happen
 * only for requests that claim to be a known crawler, and the verdict is cached per address, so a linear scan over
 * prefix-masked integers is enough; the decision gate has its own O(1) index for the hot path.
 */
export class IpRanges {
  #v4: [number, number][] = [];
  #v6: [bigint, bigint][] = [];
  #widest4 = 33;
  #widest6 = 129;

  get size(): number {
    return this.#v4.length + this.#v6.length;
  }

  /** Shortest prefix length added per family (undefined when none): a feed listing 0.0.0.0/0 would verify everyone. */
  get widest(): { readonly v4: number | undefined; readonly v6: number | undefined } {
    return {
      v4: this.#widest4 === 33 ? undefined : this.#widest4,
      v6: this.#widest6 === 129 ? undefined : this.#widest6,
    };
  }

  /** Adds `addr/prefix` or a bare address; returns false when it is not one. */
  add(cidr: string): boolean {
    const slash = cidr.indexOf('/');
    const addr = normalizeIp(slash === -1 ? cidr : cidr.slice(0, slash));
    if (addr === undefined) return false;
    const v4 = isIPv4(addr);
    const bits = slash === -1 ? (v4 ? 32 : 128) : Number(cidr.slice(slash + 1));
    if (!Number.isInteger(bits) || bits < 0 || bits > (v4 ? 32 : 128)) return false;
    if (v4) {
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      this.#v4.push([(v4num(addr) & mask) >>> 0, mask]);
      this.#widest4 = Math.min(this.#widest4, bits);
    } else {
      const mask = bits === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - bits)) - 1n);
      this.#v6.push([v6num(addr) & mask, mask]);
      this.#widest6 = Math.min(this.#widest6, bits);
    }
    return true;
  }

  has(ip: string): boolean {
    const addr = normalizeIp(ip);
    if (addr === undefined) return false;
    if (isIPv4(addr)) {
      const n = v4num(addr);
      return this.#v4.some(([base, mask]) => (n & mask) >>> 0 === base);
    }
    if (!isIPv6(addr)) return false;
    const n = v6num(addr);
    return this.#v6.some(([base, mask]) => (n & mask) === base);
  }
}

function v4num(ip: string): number {
  const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function v6num(ip: string): bigint {
  return expandV6(ip).reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/**
 * Reads a published range file: Google/Bing's JSON (`{"prefixes":[{"ipv4Prefix":…},{"ipv6Prefix":…}]}`), any JSON
 * array of CIDR strings, or text with one CIDR a line (`#` comments). Returns how many entries were rejected.
 */
export function loadRangeText(ranges: IpRanges, text: string): number {
  let rejected = 0;
  const add = (s: string) => {
    if (!ranges.add(s.trim())) rejected++;
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const doc = JSON.parse(trimmed) as unknown;
    const items = Array.isArray(doc) ? doc : ((doc as { prefixes?: unknown[] }).prefixes ?? []);
    for (const item of items) {
      if (typeof item === 'string') add(item);
      else if (item !== null && typeof item === 'object') {
        const p = item as Record<string, unknown>;
        const v = p.ipv4Prefix ?? p.ipv6Prefix ?? p.prefix ?? p.cidr;
        if (typeof v === 'string') add(v);
        else rejected++;
      }
    }
    return rejected;
  }
  for (const line of trimmed.split(/\r?\n/)) {
    const s = line.replace(/#.*/, '').trim();
    if (s !== '') add(s);
  }
  return rejected;
}
