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

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
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
  const ciphers = hello.ciphers.filter((c) => !isGrease(c));
  const exts = hello.extensions.filter((e) => !isGrease(e));
  const sni = hello.serverName !== undefined || exts.includes(0x0000) ? 'd' : 'i';
  const a = `t${versionOf(hello)}${sni}${count2(ciphers.length)}${count2(exts.length)}${alpnCode(hello.alpn[0])}`;
  return {
    a,
    ciphers: ciphers.map(hex4).sort().join(','),
    extensions: exts
      .filter((e) => e !== 0x0000 && e !== 0x0010)
      .map(hex4)
      .sort()
      .join(','),
    sigAlgs: hello.signatureAlgorithms
      .filter((s) => !isGrease(s))
      .map(hex4)
      .join(','),
  };
}

export function ja4(hello: ClientHello): string {
  const p = ja4Parts(hello);
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
  return createHash('md5').update(ja3Text(hello)).digest('hex');
}
