import { isIPv4 } from 'node:net';
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

  constructor(cidrs: readonly string[]) {
    this.#ranges = cidrs.map((text) => {
      const [addr, prefix] = text.split('/') as [string, string | undefined];
      const ip = normalizeIp(addr);
      if (ip === undefined) throw new Error(`not an IP address: ${text}`);
      const v4 = isIPv4(ip);
      const bits = prefix === undefined ? 128 : Number(prefix) + (v4 ? 96 : 0);
      const [maskHi, maskLo] = maskOf(bits);
      const [hi, lo] = toHalves(ip);
      return { hi: hi & maskHi, lo: lo & maskLo, maskHi, maskLo };
    });
  }

  get empty(): boolean {
    return this.#ranges.length === 0;
  }

  has(ip: string): boolean {
    if (this.#ranges.length === 0) return false;
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
