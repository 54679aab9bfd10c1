/**
 * Allocation-free address parsing for the gate's hot path and the importers.
 *
 * Addresses are parsed straight from a slice of a string (`ip:203.0.113.7` is read from offset 3) into numbers:
 * IPv4 into one uint32, IPv6 into four uint32 words of a caller-owned `Uint32Array(4)`. Nothing here creates a
 * string or an object, so a gate miss allocates nothing (node --trace-gc shows no scavenges in bench/decisions-gate.ts).
 *
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1`, RFC 4291 §2.5.5.2) is reported as IPv4: dual-stack sockets report v4 peers
 * that way and a block on 192.0.2.1 must also catch them.
 */

export const V4 = 4;
export const V6 = 6;

/** Parses dotted-quad IPv4 in s[start, end). Returns the uint32 (as a non-negative number) or -1. */
export function parseV4(s: string, start: number, end: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // A leading zero makes `010` ambiguous (octal in inet_aton); refuse it like Node's net.isIPv4 does.
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (octet > 255 || ++digits > 3) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/**
 * Parses an IPv6 address in s[start, end) into out[0..3] (big-endian words). Returns V6, or V4 when the address
 * is v4-mapped (then out[3] holds the v4 value and the function's caller reads it), or 0 when malformed.
 * Zone ids (`%eth0`) are refused: they are meaningless off-link and never appear in blocklists.
 */
export function parseV6(s: string, start: number, end: number, out: Uint32Array): number {
  out[0] = 0;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
  if (end - start < 2) return 0;
  // Groups are written into out as 16-bit halves; `gap` marks where `::` sits (in groups), -1 if absent.
  let group = 0;
  let gap = -1;
  let i = start;
  if (s.charCodeAt(i) === 58) {
    if (s.charCodeAt(i + 1) !== 58) return 0;
    gap = 0;
    i += 2;
    if (i === end) return V6;
  }
  while (i < end) {
    if (group >= 8) return 0;
    let v = 0;
    let n = 0;
    const groupStart = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else break;
      v = (v << 4) | d;
      if (++n > 4) return 0;
      i++;
    }
    if (i < end && s.charCodeAt(i) === 46) {
      // Embedded IPv4 tail (RFC 4291 §2.2 form 3): takes two groups.
      if (group > 6) return 0;
      const v4 = parseV4(s, groupStart, end);
      if (v4 < 0) return 0;
      setGroup(out, group++, v4 >>> 16);
      setGroup(out, group++, v4 & 0xffff);
      i = end;
      break;
    }
    if (n === 0) return 0;
    setGroup(out, group++, v);
    if (i === end) break;
    if (s.charCodeAt(i) !== 58) return 0;
    i++;
    if (i < end && s.charCodeAt(i) === 58) {
      if (gap !== -1) return 0;
      gap = group;
      i++;
    } else if (i === end) return 0;
  }
  if (gap === -1) {
    if (group !== 8) return 0;
  } else {
    if (group > 7) return 0;
    // Shift the groups after `::` to the end of the address.
    const shift = 8 - group;
    for (let g = group - 1; g >= gap; g--) {
      setGroup(out, g + shift, getGroup(out, g));
      setGroup(out, g, 0);
    }
  }
  if (out[0] === 0 && out[1] === 0 && out[2] === 0xffff) return V4;
  return V6;
}

function setGroup(out: Uint32Array, g: number, v: number): void {
  const w = g >>> 1;
  const cur = out[w]!;
  out[w] = (g & 1 ? (cur & 0xffff0000) | v : (cur & 0xffff) | (v << 16)) >>> 0;
}

function getGroup(out: Uint32Array, g: number): number {
  const w = out[g >>> 1]!;
  return g & 1 ? w & 0xffff : w >>> 16;
}

/**
 * Parses any IP in s[start, end): returns V4 (value in out[3]) or V6 (words in out), or 0.
 * The caller's `out` is reused across calls, which is what keeps the hot path allocation-free.
 */
export function parseIp(s: string, start: number, end: number, out: Uint32Array): number {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) return parseV6(s, start, end, out);
    if (c === 46) break;
  }
  const v4 = parseV4(s, start, end);
  if (v4 < 0) return 0;
  out[3] = v4;
  return V4;
}

export function formatV4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** RFC 5952 canonical text: lower case, longest run (≥ 2) of zero groups as `::`, first run on ties. */
export function formatV6(w: ArrayLike<number>): string {
  const g: number[] = [];
  for (let i = 0; i < 4; i++) g.push(w[i]! >>> 16, w[i]! & 0xffff);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number, b: number) =>
    g
      .slice(a, b)
      .map((x) => x.toString(16))
      .join(':');
  return best === -1 ? hex(0, 8) : `${hex(0, best)}::${hex(best + bestLen, 8)}`;
}

/** Mask of the top `bits` bits (0..32) of a uint32. */
export function maskV4(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** Clears the host bits of a v6 address in place for a prefix of `bits` (0..128). */
export function maskV6(w: Uint32Array, bits: number): void {
  for (let i = 0; i < 4; i++) {
    const keep = bits - i * 32;
    if (keep >= 32) continue;
    w[i] = keep <= 0 ? 0 : (w[i]! & maskV4(keep)) >>> 0;
  }
}
