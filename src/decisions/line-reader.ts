import { StringDecoder } from 'node:string_decoder';

/** An upload: a request stream, a file stream, or (in tests) an array of chunks. */
export type ByteSource = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

export class TooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`upload passed ${limit} bytes`);
  }
}

export interface LineSink {
  /** A complete line (no terminator, `\r` stripped) with its 1-based number. */
  line(text: string, no: number): void;
  /** A line longer than the limit; its text is dropped, reading resumes at the next newline. */
  overlong(no: number): void;
  /** After each chunk's lines: a returned promise is awaited before the next chunk is read (back-pressure). */
  chunkDone?(): Promise<void> | undefined;
}

/**
 * Splits a byte stream into lines as it arrives, counting bytes so an oversized upload is refused as soon as it
 * passes `maxBytes` rather than after it has been read (issue 3: "a 2 GB upload is refused early"). The sink is
 * called synchronously, so a caller can commit a batch between chunks without buffering the whole upload.
 * Returns the number of bytes read and lines seen.
 */
export async function readLines(
  source: ByteSource,
  maxBytes: number,
  maxLineBytes: number,
  sink: LineSink,
): Promise<{ bytes: number; lines: number }> {
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  let no = 0;
  let carry = '';
  let skipping = false;
  const emit = (text: string) => {
    no++;
    if (text.length > maxLineBytes) sink.overlong(no);
    else sink.line(text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text, no);
  };
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buf.length;
    if (bytes > maxBytes) throw new TooLargeError(maxBytes);
    const text = decoder.write(buf);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (skipping) {
        skipping = false;
        no++;
        sink.overlong(no);
      } else emit(carry === '' ? text.slice(start, nl) : carry + text.slice(start, nl));
      carry = '';
      start = nl + 1;
    }
    if (!skipping) {
      carry = carry + text.slice(start);
      // Without a newline in sight, stop keeping the line once it is already too long.
      if (carry.length > maxLineBytes) {
        carry = '';
        skipping = true;
      }
    }
    const wait = sink.chunkDone?.();
    if (wait !== undefined) await wait;
  }
  const rest = carry + decoder.end();
  if (skipping) {
    no++;
    sink.overlong(no);
  } else if (rest !== '') emit(rest);
  return { bytes, lines: no };
}

/** Reads a whole (JSON) body, refusing past `maxBytes` as it arrives. */
export async function readAll(source: ByteSource, maxBytes: number): Promise<string> {
  const parts: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buf.length;
    if (bytes > maxBytes) throw new TooLargeError(maxBytes);
    parts.push(buf);
  }
  return Buffer.concat(parts).toString('utf8');
}
