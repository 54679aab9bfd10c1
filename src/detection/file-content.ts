/**
 * What the rules read of a file (an upload, a binary body, a data: URL's content): its first `max` characters, as
 * `limits.fileBytes` promises, and past them a window at each place where code a server could run starts — a PHP
 * or JSP/ASP tag, an SGML declaration (DOCTYPE, ENTITY, an SSI comment), a script or SVG element.
 *
 * Why: a polyglot image carries its payload wherever its format allows a comment or metadata, and a review put
 * `<?=include"data:…"?>` 70 KB into an avatar, past the 8 KiB inspected. Scanning the rest for the three
 * characters that open such code is linear and cheap; inspecting all of it as text is not (the decoding layers
 * cost ~30 µs a binary part). At most WINDOWS windows of WINDOW characters; a file with more starts than that is
 * cut off there, which only a crafted file has (random bytes hold `<?` about once in 64 KiB).
 */
const WINDOW = 512;
const WINDOWS = 32;
const CODE_START = /<[?%!sS]/g;

/** `head`, when given, is the first `max` bytes decoded otherwise (as UTF-8) than `text` (one byte a character). */
export function fileContent(text: string, max: number, head = text.slice(0, max)): string {
  if (text.length <= max) return head;
  const parts = [head];
  CODE_START.lastIndex = max;
  let end = max;
  for (let m = CODE_START.exec(text); m !== null && parts.length <= WINDOWS; m = CODE_START.exec(text)) {
    const start = Math.max(m.index, end);
    end = m.index + WINDOW;
    if (start < end) parts.push(text.slice(start, end));
    CODE_START.lastIndex = end;
  }
  return parts.join('\n');
}
