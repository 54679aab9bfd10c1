import { urlDecode } from './decode.ts';
import type { Input } from './types.ts';

/**
 * A `data:` URL (RFC 2397) is a file sent inline: avatars, signatures, pasted screenshots and PDFs arrive in JSON as
 * `data:image/png;base64,iVBOR…`. Its content is inspected like an uploaded file's (kind `file`, location
 * `<field>#data`), because that is what reaches whatever opens it: PHP's `data://` wrapper runs the `<?php` in
 * `data:image/png;base64,PD9waHAg…` whatever type it claims, a browser renders the script of a
 * `data:image/svg+xml` one. The URL itself is then judged by its type (ssrf.dangerous-scheme): a raster image,
 * audio, video, a PDF or a font is an ordinary upload, not a probe.
 *
 *   data:[<type>/<subtype>][;param=value]*[;base64],<data>
 */
const HEADER = /^\s{0,64}data:(?:[\w!#$&^.+-]{1,64}\/[\w!#$&^.+-]{1,64})?(?:;[\w!#$&^.+-]{1,64}=[^;,]{0,128}){0,8}(;base64)?,/i;

/** The decoded content of a `data:` URL, at most `maxBytes` of it, or undefined for any other value. */
export function dataUrlContent(value: string, maxBytes: number): string | undefined {
  // Nearly every value fails here: the first non-blank character must be a `d`.
  let i = 0;
  while (i < value.length && i < 64 && value.charCodeAt(i) <= 0x20) i++;
  if ((value.charCodeAt(i) | 0x20) !== 0x64 || maxBytes <= 0) return undefined;
  const header = HEADER.exec(value);
  if (header === null) return undefined;
  const data = value.slice(header[0].length);
  if (data.length === 0) return undefined;
  if (header[1] === undefined) return urlDecode(data.slice(0, maxBytes * 3));
  // Four base64 characters make three bytes; a form decoder has already turned `+` into spaces.
  const b64 = data.slice(0, Math.ceil(maxBytes / 3) * 4).replaceAll(' ', '+');
  const text = Buffer.from(b64, 'base64').subarray(0, maxBytes).toString('utf8');
  return text.length > 0 ? text : undefined;
}

/** Adds the content of `value`, when it is a `data:` URL, as a file at `<location>#data`. */
export function pushDataUrl(inputs: Input[], location: string, value: string, maxBytes: number): void {
  const content = dataUrlContent(value, maxBytes);
  if (content !== undefined) inputs.push({ kind: 'file', location: `${location}#data`, value: content });
}
