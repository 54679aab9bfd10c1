import { urlDecode } from './decode.ts';
import { fileContent } from './file-content.ts';
import type { Input, LimitHit } from './types.ts';

/**
 * A `data:` URL (RFC 2397) is a file sent inline: avatars, signatures, pasted screenshots and PDFs arrive in JSON as
 * `data:image/png;base64,iVBOR…`. Its content is inspected like an uploaded file's (kind `file`, location
 * `<field>#data`, the first `limits.fileBytes` of it, as for uploads), because that is what reaches whatever opens
 * it: PHP's `data://` wrapper runs the `<?php` in `data:image/png;base64,PD9waHAg…` whatever type it claims.
 *
 * An *opaque* one — a raster image, audio, video, a PDF, a font, an archive or office document, in canonical
 * base64 as browsers and libraries write it — is then inspected as its header only (`data:image/png;base64,`):
 * its base64 text is no text (scanning 100 KB of it cost up to 15 ms and found `iEx` in one image of 5,811), and
 * ssrf.dangerous-scheme lets exactly that header through. Anything else keeps its whole text and the rule's
 * severity: a parameter PHP reads but a browser never writes, base64 with spaces, `=` or `-` inside (PHP's decoder
 * skips what Node's stops at), PHP source anywhere in the decoded content (the file rules read only its first
 * `fileBytes`), text types (`data:text/plain` is the include wrapper's), SVG and HTML.
 *
 *   data:[<type>/<subtype>][;param=value]*[;base64],<data>
 */
const HEADER = /^\s{0,64}data:(?:[\w!#$&^.+-]{1,64}\/[\w!#$&^.+-]{1,64})?(?:;[\w!#$&^.+-]{1,64}=[^;,]{0,128}){0,8}(;base64)?,/i;
const OPAQUE =
  /^data:(?:image\/(?:png|p?jpe?g|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon|tiff|hei[cf])|audio\/[\w.+-]{1,64}|video\/[\w.+-]{1,64}|font\/[\w.+-]{1,64}|application\/(?:pdf|zip|octet-stream|msword|vnd\.ms-excel|vnd\.openxmlformats-officedocument\.[\w.]{1,64}))(?:;[\w-]{1,32}=[\w.-]{1,64}){0,2};base64,/i;
/** Canonical base64 once line breaks are gone (tested on the stripped text: no two quantifiers to backtrack over). */
const CANONICAL_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/**
 * A line of wrapped base64 that a shell would run: an absolute path of lower-case letters, digits and slashes
 * (`////…/sbin/reboot`). Random base64 is that about once in 10^15 lines; runs of 0xFF bytes are `////…` without a
 * letter, and flat grey (`7u7u…`) starts with no slash.
 */
const RUNNABLE = /^\/[a-z0-9/]*[a-z][a-z0-9/]*$/;
/** The line widths of wrapped base64 (MIME's 76, PEM's 64). */
const WRAP_WIDTHS = new Set([64, 76]);
/**
 * PHP source in the whole decoded content, anywhere: an opaque file holding it is not opaque (PHP's include runs
 * it). `<?php` and any blank or `(`; `<?=` or a short tag `<? ` (on wherever no php.ini turns them off) and, within
 * 64 printable characters, a call, a variable or a backtick (`<?=-system(…)`, or a comment before the call). Random
 * bytes hold that in 3 of 5,000 buffers of 100 KB (a probe, 2026-12-07): those images keep their text.
 */
const PHP_CODE = /<\?(?:php[\s(]|[=\s][\x20-\x7e\t\r\n]{0,64}?[($`])/i;

export interface DataUrl {
  /** What the value's own input should hold: its header alone when it is opaque, else the value unchanged. */
  readonly text: string;
  /** The decoded content as the file rules read it: its first `maxBytes` and windows past them (file-content.ts). */
  readonly content: string;
  /** The windows past `maxBytes` were cut short: an inspection limit. */
  readonly cut?: true;
}

/** False when `value` certainly is no `data:` URL: its first non-blank character is not a `d` (nearly every value). */
export function mayBeDataUrl(value: string): boolean {
  let i = 0;
  while (i < value.length && i < 64 && value.charCodeAt(i) <= 0x20) i++;
  return (value.charCodeAt(i) | 0x20) === 0x64;
}

/** The parts of a `data:` URL, or undefined for any other value. */
export function parseDataUrl(value: string, maxBytes: number): DataUrl | undefined {
  if (!mayBeDataUrl(value)) return undefined;
  const header = HEADER.exec(value);
  if (header === null) return undefined;
  const data = value.slice(header[0].length);
  if (data.length === 0) return { text: value, content: '' };
  if (header[1] === undefined) return { text: value, content: urlDecode(data.slice(0, maxBytes * 3)) };
  // Node's decoder, like PHP's, skips whitespace (a space PHP skips must not be read as a form decoder's `+`).
  const bytes = Buffer.from(data, 'base64');
  const latin1 = bytes.toString('latin1');
  const { text: content, cut } = fileContent(latin1, maxBytes, bytes.subarray(0, maxBytes).toString('utf8'));
  const opaque = OPAQUE.exec(value);
  // PHP anywhere keeps the text, whatever the windows read: PHP's include would run it.
  const text = opaque === null || !canonicalBase64(data) || PHP_CODE.test(latin1) ? value : opaque[0];
  return cut ? { text, content, cut } : { text, content };
}

/**
 * Base64 as encoders write it: one line, or wrapped at MIME's or PEM's width with every line but the last full.
 * Line breaks anywhere else are lines a shell would run (`iVBORw0KGgo\nid\n`); and a line that could be a
 * command — a path, or lower-case letters alone (`/sbin/reboot`, `shutdown`: base64's alphabet has no space, so
 * no arguments) — keeps the text too.
 */
function canonicalBase64(data: string): boolean {
  if (data.indexOf('\n') === -1) return CANONICAL_BASE64.test(data);
  const lines = data.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const width = lines[0]!.length;
  if (!WRAP_WIDTHS.has(width)) return false;
  for (let i = 0; i < lines.length - 1; i++) if (lines[i]!.length !== width || RUNNABLE.test(lines[i]!)) return false;
  const last = lines[lines.length - 1]!;
  if (last.length > width || RUNNABLE.test(last) || /^[a-z]+$/.test(last)) return false;
  return CANONICAL_BASE64.test(lines.join(''));
}

/** The input for `value` at `location`, and the content of a `data:` URL beside it as a file at `<location>#data`. */
export function pushValue(
  inputs: Input[],
  limits: LimitHit[],
  kind: Input['kind'],
  location: string,
  value: string,
  maxBytes: number,
): void {
  const inline = parseDataUrl(value, maxBytes);
  inputs.push({ kind, location, value: inline === undefined ? value : inline.text });
  if (inline !== undefined && inline.content !== '')
    inputs.push({ kind: 'file', location: `${location}#data`, value: inline.content });
  if (inline?.cut === true)
    limits.push({ limit: 'fileBytes', detail: `the data: URL in ${location} holds more places where code starts than are inspected` });
}
