/**
 * Bodies in UTF-16 are text, not binary: every other byte of ASCII text is NUL, so `binary.ts` would call them
 * binary and only the file rules would see them — while a JSON parser that honours RFC 4627 §3 (Jackson, .NET's
 * readers) or the declared charset decodes them and hands the payload to the application. So a body that is
 * UTF-16 by its byte order mark, by a declared `charset=utf-16*`, or by RFC 4627's NUL pattern in its first four
 * bytes is decoded here and inspected as text. A UTF-8 byte order mark is dropped (JSON.parse rejects it, and so
 * the JSON inside would have been inspected as a plain string).
 *
 * UTF-32 is not decoded: nothing in the Node, Java or .NET web stacks reads request bodies in it by default.
 */
export type BodyEncoding = 'utf-16le' | 'utf-16be';

export interface DecodedBody {
  readonly text: string;
  readonly encoding: BodyEncoding;
  /** How the encoding was recognised, for the finding that reports it. */
  readonly by: 'byte order mark' | 'declared charset' | 'NUL pattern';
}

const CHARSET = /charset\s*=\s*"?utf-?16(le|be)?\b/i;

function decode(bytes: Uint8Array, le: boolean): string {
  const even = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length & ~1);
  if (le) return even.toString('utf16le');
  // Node has no UTF-16BE decoder; swap a copy (swap16 works in place).
  return Buffer.from(even).swap16().toString('utf16le');
}

/** The body decoded from UTF-16, or undefined when it is not UTF-16 by any of the three signs. */
export function decodeUtf16(bytes: Uint8Array, contentType: string): DecodedBody | undefined {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0xff && b1 === 0xfe) return { text: decode(bytes.subarray(2), true), encoding: 'utf-16le', by: 'byte order mark' };
  if (b0 === 0xfe && b1 === 0xff) return { text: decode(bytes.subarray(2), false), encoding: 'utf-16be', by: 'byte order mark' };
  const declared = CHARSET.exec(contentType);
  if (declared !== null) {
    // `utf-16` without an order: RFC 2781 §4.3 says big-endian, but Windows clients write little-endian; the
    // position of the NUL in the first code unit of ASCII-range text tells which.
    const order = declared[1]?.toLowerCase();
    const le = order === 'le' || (order === undefined && !(b0 === 0 && b1 !== 0));
    return { text: decode(bytes, le), encoding: le ? 'utf-16le' : 'utf-16be', by: 'declared charset' };
  }
  if (bytes.length >= 4) {
    // RFC 4627 §3: the first two characters of JSON text are ASCII, so NULs mark the encoding.
    if (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return { text: decode(bytes, false), encoding: 'utf-16be', by: 'NUL pattern' };
    if (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return { text: decode(bytes, true), encoding: 'utf-16le', by: 'NUL pattern' };
  }
  return undefined;
}
