import { createHash } from 'node:crypto';
import { type ClientHello, isGrease } from './client-hello.ts';

/**
 * JA4 (TLS client only; FoxIO's JA4 is BSD-3-Clause, unlike the other JA4+ methods) and JA3, computed from a
 * parsed ClientHello. Spec: https://github.com/FoxIO-LLC/ja4/blob/main/technical_details/JA4.md
 *
 *   JA4 = a _ b _ c
 *     a: t | version | d/i (SNI present) | cipher count | extension count | ALPN first+last char
 *     b: sha256("sorted cipher hex, comma-joined")[0..12]
 *     c: sha256("sorted extension hex without SNI/ALPN" + "_" + "signature algorithms in order")[0..12]
 *   GREASE (RFC 8701) is ignored everywhere, per the spec's "Details".
 */

const VERSIONS: Readonly<Record<number, string>> = {
  772: '13',
  771: '12',
  770: '11',
  769: '10',
  768: 's3',
  2: 's2',
  65279: 'd1',
  65277: 'd2',
  65276: 'd3',
};

const EMPTY_HASH = '000000000000';

/** 4-digit lowercase hex of each u16 seen so far: fingerprints repeat the same few hundred values. */
const HEX4 = new Array<string | undefined>(65536).fill(undefined);

function hex4(v: number): string {
  let h = HEX4[v];
  if (h === undefined) {
    h = v.toString(16).padStart(4, '0');
    HEX4[v] = h;
  }
  return h;
}

/**
 * The values minus GREASE (and, for extensions, SNI and ALPN), as comma-joined 4-digit hex, sorted when asked.
 * Fixed-width lowercase hex sorts like the numbers, so the sort is numeric on a Uint16Array; a first-request
 * cost per connection (bench tlsFirstRequestUs), ~3x cheaper than filter/map/sort/join over strings.
 */
function hexList(values: readonly number[], sorted: boolean, dropSniAlpn = false): string {
  const kept = new Uint16Array(values.length);
  let n = 0;
  for (const v of values) {
    if (isGrease(v) || (dropSniAlpn && (v === 0x0000 || v === 0x0010))) continue;
    kept[n++] = v;
  }
  const list = sorted ? kept.subarray(0, n).sort() : kept;
  let out = '';
  for (let i = 0; i < n; i++) out = i === 0 ? hex4(list[i]!) : `${out},${hex4(list[i]!)}`;
  return out;
}

function countKept(values: readonly number[]): number {
  let n = 0;
  for (const v of values) if (!isGrease(v)) n++;
  return n;
}

function count2(n: number): string {
  return n > 99 ? '99' : n.toString().padStart(2, '0');
}

function sha12(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** "If extension 0x002b exists, the version is the highest value in it (ignoring GREASE)", else legacy_version. */
function versionOf(hello: ClientHello): string {
  const listed = hello.supportedVersions.filter((v) => !isGrease(v));
  // DTLS versions count down (0xfefc is newer than 0xfeff), but this is TCP TLS only, so the highest is the max.
  const v = listed.length > 0 ? Math.max(...listed) : hello.legacyVersion;
  return VERSIONS[v] ?? '00';
}

function isAlnum(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * First and last characters of the first ALPN value; "00" when absent or empty; when either end byte is not
 * alphanumeric, the first and last characters of the value's hex instead (spec: 0x30 0xAB → "3b").
 */
export function alpnCode(first: string | undefined): string {
  if (first === undefined || first.length === 0) return '00';
  const a = first.charCodeAt(0);
  const z = first.charCodeAt(first.length - 1);
  if (isAlnum(a) && isAlnum(z)) return first[0]! + first[first.length - 1]!;
  const hex = Buffer.from(first, 'latin1').toString('hex');
  return hex[0]! + hex[hex.length - 1]!;
}

/** The JA4 "raw sorted" parts, useful for explanations and tests against published ja4_r strings. */
export function ja4Parts(hello: ClientHello): { a: string; ciphers: string; extensions: string; sigAlgs: string } {
  const sni = hello.serverName !== undefined || hello.extensions.includes(0x0000) ? 'd' : 'i';
  const counts = `${count2(countKept(hello.ciphers))}${count2(countKept(hello.extensions))}`;
  return {
    a: `t${versionOf(hello)}${sni}${counts}${alpnCode(hello.alpn[0])}`,
    ciphers: hexList(hello.ciphers, true),
    extensions: hexList(hello.extensions, true, true),
    sigAlgs: hexList(hello.signatureAlgorithms, false),
  };
}

export function ja4(hello: ClientHello): string {
  return ja4FromParts(ja4Parts(hello));
}

/** JA4 from its raw parts (ja4Parts), for callers that already have them. */
export function ja4FromParts(p: { a: string; ciphers: string; extensions: string; sigAlgs: string }): string {
  const b = p.ciphers === '' ? EMPTY_HASH : sha12(p.ciphers);
  const c = p.extensions === '' ? EMPTY_HASH : sha12(p.sigAlgs === '' ? p.extensions : `${p.extensions}_${p.sigAlgs}`);
  return `${p.a}_${b}_${c}`;
}

/**
 * JA3 (Salesforce, BSD-3-Clause): "SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats" as
 * decimal values joined by '-', GREASE removed, hashed with MD5. Kept for feeds that only speak JA3; note that
 * Chrome permutes its extension order per connection since v110, so JA3 is unstable for Chrome while JA4 (which
 * sorts) is not.
 */
export function ja3Text(hello: ClientHello): string {
  const keep = (xs: readonly number[]) => xs.filter((x) => !isGrease(x)).join('-');
  return [
    hello.legacyVersion,
    keep(hello.ciphers),
    keep(hello.extensions),
    keep(hello.supportedGroups),
    hello.pointFormats.join('-'),
  ].join(',');
}

export function ja3(hello: ClientHello): string {
  return ja3FromText(ja3Text(hello));
}

export function ja3FromText(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
