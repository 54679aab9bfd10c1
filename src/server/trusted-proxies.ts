import { isIPv4, isIPv6 } from 'node:net';
import { expandV6, normalizeIp } from '../core/ip.ts';

/**
 * Which peers may tell us the client address in X-Forwarded-For. Built once from `trustProxy`; a request checks
 * its peer (and the hops of the header) against a handful of ranges, so a linear scan of the list is right here.
 * Ranges are kept as [high, low] 64-bit halves compared under a mask, one representation for v4 and v6
 * (v4 lives in the v4-mapped space ::ffff:a.b.c.d/96+prefix).
 */
interface Range {
  readonly hi: bigint;
  readonly lo: bigint;
  readonly maskHi: bigint;
  readonly maskLo: bigint;
}

/** The IPv4 part of a range, as 32-bit numbers: every request checks its peer, so v4 skips BigInt entirely. */
interface Range4 {
  readonly base: number;
  readonly mask: number;
}

const V4_DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A dotted IPv4 address as an unsigned 32-bit number, or undefined for anything else. */
function v4Number(ip: string): number | undefined {
  const m = V4_DOTTED.exec(ip);
  if (m === null) return undefined;
  const [a, b, c, d] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  if (a > 255 || b > 255 || c > 255 || d > 255) return undefined;
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** What a range (in v4-mapped space) means for IPv4 clients: a 32-bit range, or nothing. */
function v4Part(r: Range, bits: number): Range4 | undefined {
  const mapped = (0xffffn << 32n) | 0n;
  if (bits <= 96) {
    // Covers the whole v4-mapped block when ::ffff:0:0 itself matches the prefix.
    return (0n & r.maskHi) === r.hi && (mapped & r.maskLo) === r.lo ? { base: 0, mask: 0 } : undefined;
  }
  if (r.hi !== 0n || r.lo >> 32n !== 0xffffn) return undefined;
  const mask = bits - 96 === 0 ? 0 : (0xffffffff << (32 - (bits - 96))) >>> 0;
  return { base: (Number(r.lo & 0xffffffffn) & mask) >>> 0, mask };
}

const ALL64 = (1n << 64n) - 1n;

function toHalves(ip: string): [bigint, bigint] {
  if (isIPv4(ip)) {
    const n = ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
    return [0n, (0xffffn << 32n) | n];
  }
  const g = expandV6(ip).map(BigInt);
  return [
    (g[0]! << 48n) | (g[1]! << 32n) | (g[2]! << 16n) | g[3]!,
    (g[4]! << 48n) | (g[5]! << 32n) | (g[6]! << 16n) | g[7]!,
  ];
}

function maskOf(bits: number): [bigint, bigint] {
  const hiBits = Math.min(bits, 64);
  const loBits = Math.max(bits - 64, 0);
  const hi = hiBits === 0 ? 0n : (ALL64 << BigInt(64 - hiBits)) & ALL64;
  const lo = loBits === 0 ? 0n : (ALL64 << BigInt(64 - loBits)) & ALL64;
  return [hi, lo];
}

export class TrustedProxies {
  readonly #ranges: Range[];
  readonly #ranges4: Range4[];

  constructor(cidrs: readonly string[]) {
    const ranges4: Range4[] = [];
    this.#ranges = cidrs.map((text) => {
      const [addr, prefix] = text.split('/') as [string, string | undefined];
      const ip = normalizeIp(addr);
      if (ip === undefined) throw new Error(`not an IP address: ${text}`);
      // A prefix counts in the notation it was written in: `10.0.0.0/8` is /104 of the v4-mapped space, while
      // `::ffff:10.0.0.0/104` (normalised to a v4 address above) already is.
      const writtenAsV4 = !addr.includes(':');
      const bits = prefix === undefined ? 128 : Number(prefix) + (writtenAsV4 ? 96 : 0);
      const [maskHi, maskLo] = maskOf(bits);
      const [hi, lo] = toHalves(ip);
      const range = { hi: hi & maskHi, lo: lo & maskLo, maskHi, maskLo };
      const r4 = v4Part(range, bits);
      if (r4 !== undefined) ranges4.push(r4);
      return range;
    });
    this.#ranges4 = ranges4;
  }

  get empty(): boolean {
    return this.#ranges.length === 0;
  }

  has(ip: string): boolean {
    if (this.#ranges.length === 0) return false;
    const n = v4Number(ip);
    if (n !== undefined) {
      for (const r of this.#ranges4) if (((n & r.mask) >>> 0) === r.base) return true;
      return false;
    }
    if (!isIPv6(ip)) return false;
    const [hi, lo] = toHalves(ip);
    return this.#ranges.some((r) => (hi & r.maskHi) === r.hi && (lo & r.maskLo) === r.lo);
  }

  /**
   * The client address: the socket peer, unless the peer is a trusted proxy; then the right-most address of
   * X-Forwarded-For that is not itself trusted (everything left of it could have been written by the client).
   * A malformed hop stops the walk at the last good address: we never believe what we cannot parse.
   */
  clientIp(peer: string, forwardedFor: string | string[] | undefined): string {
    if (forwardedFor === undefined || !this.has(peer)) return peer;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalizeIp(hops[i]!);
      if (hop === undefined) return client;
      client = hop;
      if (!this.has(hop)) return hop;
    }
    return client;
  }
}
