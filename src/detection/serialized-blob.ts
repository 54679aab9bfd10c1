import { gunzipSync, constants as zlib } from 'node:zlib';

/**
 * A base64 value that decodes to a serialised object the rules cannot read as text: a Python pickle of protocol 2
 * or later (`gAJj…`, `gASV…`: it opens with byte 0x80), or gzip (`H4sI…`) holding a Java stream, a pickle, a
 * .NET BinaryFormatter stream or a PHP object — the wrappings ysoserial-style payloads travel in (JSF view state,
 * remember-me cookies, job queues). `base64Text` skips them because they are binary. Returns the decoded bytes as
 * Latin-1, one character per byte, for the deserialisation rules; undefined for anything else, so a compressed
 * benign blob is never handed to the text rules.
 */
export function serializedBlob(value: string): string | undefined {
  const gzip = value.startsWith('H4sI');
  if (!gzip && !PICKLE_BASE64.test(value)) return undefined;
  // A form decoder has turned an unencoded `+` into a space.
  const text = value.trim().replaceAll(' ', '+');
  if (text.length > BASE64_MAX || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  if (!gzip) return withGlobals(bytes.toString('latin1'));
  const inflated = gunzipBounded(bytes);
  if (inflated === undefined) return undefined;
  const content = inflated.toString('latin1');
  return SERIALIZED.test(content) ? withGlobals(content) : undefined;
}

/**
 * Protocol 4 and later name a callable as two short strings and a STACK_GLOBAL (`\x8c\x05posix\x94\x8c\x06system
 * \x94\x93`); protocols 0–3 write `cposix\nsystem\n`, which the rules read. Each such pair is appended in that form,
 * so one rule reads both and keeps a long literal for the pre-filter (the binary form has none).
 */
const STACK_GLOBAL = /\x8c([\x01-\x40])([\w.]{1,64})\x94?\x8c([\x01-\x40])([\w.]{1,64})\x94?\x93/g;

function withGlobals(pickle: string): string {
  if (pickle.indexOf('\x93') === -1) return pickle;
  let globals = '';
  for (const m of pickle.matchAll(STACK_GLOBAL)) globals += `\nc${m[2]}\n${m[4]}\n`;
  return pickle + globals;
}

/** Pickle protocols 2–5 open with 0x80 and the protocol byte: `gAI`–`gAX` in base64. */
const PICKLE_BASE64 = /^gA[I-X]/;
const BASE64 = /^[A-Za-z0-9+/_-]{8,}={0,2}$/;
/** About 48 KiB decoded: a serialised gadget chain is a few kilobytes; a larger blob is an upload, not a parameter. */
const BASE64_MAX = 65_536;
/** Output cap: a compressed bomb stops here instead of filling memory. */
const INFLATED_MAX = 65_536;

/** Headers of the serialised forms inside the gzip: Java stream, pickle, BinaryFormatter, PHP object. */
const SERIALIZED = /^(?:\xac\xed\x00\x05|\x80[\x02-\x05]|\x00\x01\x00\x00\x00\xff\xff\xff\xff)|[OC]:\d{1,4}:"[\w\\]{1,128}":\d{1,4}:\{/;

/**
 * Gunzips at most INFLATED_MAX bytes. A truncated stream (payload lists cut them; so do length limits) yields what
 * it holds so far; a stream that is no gzip yields undefined. A stream that inflates past the cap is read again from
 * a shorter prefix of its input until it fits: a deserialiser ignores what follows the object, so a gadget padded
 * with megabytes of zeros must still show its header.
 */
function gunzipBounded(bytes: Buffer): Buffer | undefined {
  for (let n = bytes.length; n >= GZIP_MIN; n >>= 1) {
    try {
      return gunzipSync(bytes.subarray(0, n), { maxOutputLength: INFLATED_MAX, finishFlush: zlib.Z_SYNC_FLUSH });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') return undefined;
    }
  }
  return undefined;
}

/** A gzip header is 10 bytes; below this a prefix holds no object header. */
const GZIP_MIN = 16;
