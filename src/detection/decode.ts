/**
 * Decoding and normalisation layers. Attackers hide payloads behind encodings the application will undo
 * (double URL encoding, IIS `%u`, HTML entities, JSON `\u` escapes, overlong UTF-8 `%c0%af`), so every value
 * is inspected in the form the application would finally see. Each layer is a pure function; `deepDecode`
 * applies them until the value stops changing (bounded, so a crafted value cannot loop us).
 */

const HEX = /^[0-9a-fA-F]{2}$/;
/** A `%` that is not an escape ("50% off"): `decodeURIComponent` would throw, and a throw costs ~8 µs here. */
const LONE_PERCENT = /%(?![0-9a-fA-F]{2})/;
export const hasLonePercent = (text: string): boolean => LONE_PERCENT.test(text);

/** One pass of percent-decoding that never throws: invalid UTF-8 sequences decode byte-wise (latin-1). */
export function urlDecode(text: string, plusIsSpace = false): string {
  if (text.indexOf('%') === -1) return plusIsSpace && text.indexOf('+') !== -1 ? text.replaceAll('+', ' ') : text;
  const src = plusIsSpace ? text.replaceAll('+', ' ') : text;
  if (hasLonePercent(src)) return decodeLenient(src);
  try {
    return decodeURIComponent(src);
  } catch {
    return decodeLenient(src);
  }
}

/** The byte of a `%XX` escape at `at`, or -1. */
function escapedByte(src: string, at: number): number {
  return src[at] === '%' && HEX.test(src.slice(at + 1, at + 3)) ? Number.parseInt(src.slice(at + 1, at + 3), 16) : -1;
}

/**
 * Overlong UTF-8 lead bytes with the number of continuation bytes they take and the bound below which the first
 * continuation byte makes the sequence overlong (it encodes what fewer bytes could): two bytes always (C0, C1),
 * three below E0 A0, four below F0 90, and the five- and six-byte forms of the original UTF-8 (F8 88, FC 84).
 */
const OVERLONG: Record<number, readonly [continuation: number, below: number]> = {
  0xc0: [1, 0xc0],
  0xc1: [1, 0xc0],
  0xe0: [2, 0xa0],
  0xf0: [3, 0x90],
  0xf8: [4, 0x88],
  0xfc: [5, 0x84],
};

/**
 * Byte-wise decoding for strings `decodeURIComponent` rejects. Overlong encodings (`%c0%ae`, `%c0%af`, `%c1%9c` —
 * CVE-2000-0884 and friends — and their longer forms up to six bytes, `%e0%80%ae`, `%f0%80%80%af`,
 * `%fc%80%80%80%80%ae`, which traversal lists carry) are mapped to the character they smuggle, as the lenient
 * decoders they were written for did.
 */
function decodeLenient(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '%' && HEX.test(src.slice(i + 1, i + 3))) {
      const b = Number.parseInt(src.slice(i + 1, i + 3), 16);
      const overlong = OVERLONG[b];
      if (overlong !== undefined) {
        const [n, below] = overlong;
        let value = b & (0xff >> (n + 2)); // the lead byte's payload bits (C1 carries one)
        let k = 0;
        for (; k < n; k++) {
          const next = escapedByte(src, i + 3 + 3 * k);
          if (next < 0x80 || next > 0xbf || (k === 0 && next >= below)) break;
          value = (value << 6) | (next & 0x3f);
        }
        if (k === n) {
          out += String.fromCharCode(value);
          i += 2 + 3 * n;
          continue;
        }
      }
      out += String.fromCharCode(b);
      i += 2;
    } else out += c;
  }
  return out;
}

/** IIS-style `%uXXXX` (CVE-2001-0333 era evasion). */
export function percentUDecode(text: string): string {
  if (text.indexOf('%u') === -1 && text.indexOf('%U') === -1) return text;
  return text.replace(/%u([0-9a-fA-F]{4})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

const NAMED_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  colon: ':',
  lpar: '(',
  rpar: ')',
  sol: '/',
  bsol: '\\',
  tab: '\t',
  newline: '\n',
  semi: ';',
  equals: '=',
  grave: '`',
  lsqb: '[',
  rsqb: ']',
  lbrace: '{',
  rbrace: '}',
  lbrack: '[',
  rbrack: ']',
  lcub: '{',
  rcub: '}',
  excl: '!',
  num: '#',
  dollar: '$',
  percnt: '%',
  period: '.',
  comma: ',',
  plus: '+',
  quest: '?',
  vert: '|',
  ast: '*',
};

/**
 * HTML entities, named and numeric, with or without the `;` (browsers accept `&#0000060` — XSS filter evasion).
 * Leading zeros are unlimited, as browsers and XML parsers read them (`&#00000000000105;` is `i`; a review hid
 * `;id` and `' OR 1=1` behind them when ten digits were the most read).
 */
export function htmlEntityDecode(text: string): string {
  if (text.indexOf('&') === -1) return text;
  return text
    .replace(/&(?:#x0*([0-9a-f]{1,8});?|#0*([0-9]{1,10});?|([a-z]{2,8});)/gi, (m, hex, dec, name) => {
      if (hex !== undefined || dec !== undefined) {
        const code = hex !== undefined ? Number.parseInt(hex, 16) : Number.parseInt(dec, 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
      return NAMED_ENTITIES[(name as string).toLowerCase()] ?? m;
    })
    .replace(LEGACY_ENTITY, (_m, name: string) => NAMED_ENTITIES[name.toLowerCase()] ?? '');
}

/** Entities browsers (and lenient decoders) also accept without the `;` — `&lt`, `&lbrace` — used to dodge filters. */
const LEGACY_ENTITY = /&(lt|gt|quot|amp|lbrace|rbrace|lpar|rpar|colon|tab|newline|lsqb|rsqb|dollar)(?![a-z;])/gi;

/**
 * JavaScript/JSON escapes left in a value (`\u0027`, `\x3c`, `\u{61}`) — also how JSON-in-a-string hides payloads.
 * Of the legacy octal escapes only `\74`/`\074` and `\76`/`\076` (`<`, `>`): a string written into a page by
 * `document.write` or `innerHTML` becomes markup through them (`\74script\76alert(1)\74/script\76`, dalfox's DOM
 * payload); other octal digits are as likely a Windows path's `\42`.
 */
export function jsEscapeDecode(text: string): string {
  if (text.indexOf('\\') === -1) return text;
  return text.replace(/\\(?:u\{([0-9a-f]{1,6})\}|u([0-9a-f]{4})|x([0-9a-f]{2})|0?(7[46]))/gi, (_m, cp, u, x, o) =>
    o !== undefined
      ? String.fromCharCode(Number.parseInt(o as string, 8))
      : String.fromCodePoint(Number.parseInt((cp ?? u ?? x) as string, 16)),
  );
}

/** Null bytes truncate strings in C-backed code (CWE-158); other C0 controls are folded to a space. */
export function stripControls(text: string): string {
  return /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)
    ? text.replace(/\x00/g, '').replace(/[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/g, ' ')
    : text;
}

/**
 * Characters that compatibility normalisation (NFKC) turns into ASCII letters, digits or punctuation: enclosed
 * alphanumerics (`①②⑦.⓪.⓪.①`), super- and subscripts, letterlike symbols and mathematical alphanumerics (a
 * surrogate pair starting U+D835). URL parsers map hosts this way (UTS #46), so `http://①②⑦.⓪.⓪.①/` is loopback.
 */
const COMPAT_CHARS = '\\u2070-\\u209f\\u2100-\\u214f\\u2460-\\u24ff\\ud835';
const COMPAT = new RegExp(`[${COMPAT_CHARS}]`);

/**
 * Slash and backslash look-alikes that Windows best-fit code pages and some path normalisers turn into `/` and
 * `\` (division slash, fraction slash, big solidus; set minus, reverse solidus operator, small reverse solidus),
 * so `..∖..∖windows∖win.ini` is a traversal. NFKC leaves most of them alone.
 */
const SLASH_CHARS = '\\u2215\\u2044\\u29f8';
const BACKSLASH_CHARS = '\\u2216\\u29f5\\ufe68';
const SLASHES = new RegExp(`[${SLASH_CHARS}]`, 'g');
const BACKSLASHES = new RegExp(`[${BACKSLASH_CHARS}]`, 'g');
const LOOK_ALIKE = new RegExp(`[${SLASH_CHARS}${BACKSLASH_CHARS}]`);

/**
 * Fullwidth forms (U+FF01–FF5E) are folded by many back ends to ASCII (`％２ｅ` → `.`): best-fit mapping attacks.
 * The other compatibility forms above are normalised as NFKC does, and the slash look-alikes mapped.
 */
export function foldWidth(text: string): string {
  let t = /[\uff01-\uff5e]/.test(text)
    ? text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    : text;
  if (LOOK_ALIKE.test(t)) t = t.replace(SLASHES, '/').replace(BACKSLASHES, '\\');
  return COMPAT.test(t) ? t.normalize('NFKC') : t;
}

const MAX_ROUNDS = 4;

/**
 * Applies every layer until a fixed point (at most MAX_ROUNDS rounds: triple encoding is the most seen in the
 * wild, e.g. `%25252e`). The result is what rules match; the raw value is matched too by the caller.
 */
export function deepDecode(text: string): string {
  let cur = text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = stripControls(foldWidth(htmlEntityDecode(jsEscapeDecode(percentUDecode(urlDecode(cur))))));
    if (next === cur) break;
    cur = next;
    // Nothing left that any layer acts on: another round would only confirm it.
    if (!mayNeedDecoding(cur)) break;
  }
  return cur;
}

/**
 * A character some layer acts on: `%` (URL), `\\` (JavaScript escapes), C0 controls, fullwidth forms, and the
 * sets foldWidth maps, built from the same constants so a set added there is a trigger here. `&` counts only where
 * an entity could start (`&#`, `&lt`): prose's "Save & Continue" decodes to itself.
 */
const DECODING_TRIGGER = new RegExp(
  `[%\\\\\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\uff01-\\uff5e${COMPAT_CHARS}${SLASH_CHARS}${BACKSLASH_CHARS}]|&[#A-Za-z]`,
);

/** Whether any layer could change the value; lets the hot path skip `deepDecode` for plain values. */
export function mayNeedDecoding(text: string): boolean {
  return DECODING_TRIGGER.test(text);
}

const B64 = /^[A-Za-z0-9+/_-]{8,}={0,2}$/;
/**
 * Tested on the trimmed value: `^\s*[… ]{8,}={0,2}\s*$` let three quantifiers share every space, and 4 KiB of spaces
 * before a `!` took 21 s (cubic backtracking, found by test/detection/redos-modules.test.ts).
 */
const B64_SPACED = /^[A-Za-z0-9+/_ -]{8,}={0,2}$/;

/**
 * Payloads are sometimes base64-wrapped for applications that decode parameters (gotestwaf's Base64Flat
 * encoder models this). Returns the decoded text only when it is printable text with some punctuation; binary
 * blobs and plain words decode to noise and are skipped, which keeps benign tokens and uploads out of the rules.
 */
export function base64Text(input: string): string | undefined {
  // Most values fail on their first character (see the group test below): no trimming or copying for them.
  const c0 = input.charCodeAt(0);
  if (!((c0 >= 0x41 && c0 <= 0x5a) || (c0 >= 0x61 && c0 <= 0x66) || c0 <= 0x20)) return undefined;
  // A form or query decoder has already turned base64's `+` into spaces; undo that before testing the shape, but
  // only for a value of base64 characters and spaces (`Bearer eyJ…` tokens would be copied for nothing).
  const trimmed = c0 <= 0x20 || input.charCodeAt(input.length - 1) <= 0x20 ? input.trim() : input;
  if (!B64_SPACED.test(trimmed)) return undefined;
  const text = trimmed.includes(' ') && !trimmed.includes('  ') ? trimmed.replaceAll(' ', '+') : trimmed;
  if (text.length > 8192 || text.length % 4 === 1 || !B64.test(text)) return undefined;
  // Every 4-character group decodes to a first byte of (value of its first character) << 2: at or above 32
  // (`g`–`z`, digits, `+/-_`) that byte is ≥ 0x80, which the loop below rejects. Checking those characters first
  // spares the decoding of tokens and ids that cannot be printable base64 (most of them).
  for (let i = 0; i < text.length; i += 4) {
    const c = text.charCodeAt(i);
    if (c === 0x3d) break; // `=` padding (Buffer ignores it)
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x66))) return undefined;
  }
  const bytes = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  if (bytes.length < 6) return undefined;
  let punct = 0;
  for (const b of bytes) {
    // NUL is allowed: it is itself an evasion (`<scr\0ipt>`) and is stripped by the decoding layers.
    if ((b < 0x20 && b !== 0x00 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b > 0x7e) return undefined;
    if (!((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x20)) punct++;
  }
  return punct > 0 ? bytes.toString('latin1') : undefined;
}
