/**
 * What the rules read of a file (an upload, a binary body, a data: URL's content): its first `max` characters, as
 * `limits.fileBytes` promises, and past them a window of WINDOW characters after each place where code a server or
 * a browser could run starts — a PHP or JSP/ASP tag, an SGML declaration (DOCTYPE, ENTITY, an SSI comment), UTF-16
 * forms of those, a script, SVG, frame, object or XInclude element under any namespace prefix, a phar stub
 * (`__HALT_COMPILER`: a JPEG-phar polyglot's manifest follows it), a PHP serialised object (`O:40:"…`) or a Java
 * serialisation stream (`AC ED 00 05`).
 *
 * Why: a polyglot image carries its payload wherever its format allows a comment or metadata, and a review put
 * `<?=include"data:…"?>` 70 KB into an avatar, past the 8 KiB inspected. Scanning the rest for those openers is
 * linear and cheap (random bytes hold one about once in 20 KiB); inspecting all of it as text is not. Windows that
 * overlap are merged, so a decoy opener cannot cut the window of the code after it (a second review did). Past
 * WINDOWS_TOTAL characters of windows the file is `cut`: the caller reports an inspection limit, so the rest is
 * never a silent pass.
 */
const WINDOW = 512;
const WINDOWS_TOTAL = 32_768;
const CODE_START =
  /<(?:[?%!]|\0[?%!]|(?:[\w-]{1,32}:)?(?:script|svg|iframe|frame|object|embed|html|body|img|include|stylesheet)\b)|__halt_compiler|\b[oc]:\+?\d{1,4}:"|\xac\xed\0\x05/gi;

export interface FileContent {
  readonly text: string;
  /** Openers past the head needed more than WINDOWS_TOTAL characters of windows: the rest was not read. */
  readonly cut: boolean;
}

/** `head`, when given, is the first `max` bytes decoded otherwise (as UTF-8) than `text` (one byte a character). */
export function fileContent(text: string, max: number, head = text.slice(0, max)): FileContent {
  if (text.length <= max) return { text: head, cut: false };
  const parts = [head];
  let total = 0;
  let from = -1;
  let to = -1;
  const flush = (): void => {
    if (from >= 0) parts.push(text.slice(from, to));
  };
  CODE_START.lastIndex = max;
  for (let m = CODE_START.exec(text); m !== null; m = CODE_START.exec(text)) {
    const end = Math.min(text.length, m.index + WINDOW);
    if (from >= 0 && m.index <= to) {
      total += end - to;
      to = end;
    } else {
      flush();
      from = m.index;
      to = end;
      total += end - from;
    }
    if (total > WINDOWS_TOTAL) {
      to -= total - WINDOWS_TOTAL;
      flush();
      return { text: parts.join('\n'), cut: true };
    }
    CODE_START.lastIndex = m.index + 1;
  }
  flush();
  return { text: parts.join('\n'), cut: false };
}
