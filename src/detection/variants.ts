import { base64Text, deepDecode, mayNeedDecoding, stripControls } from './decode.ts';
import { serializedBlob } from './serialized-blob.ts';
import type { Transform } from './rule-schema.ts';
import type { InputKind } from './types.ts';

/** Longest value handed to the rules; longer values are inspected by their head and tail (see docs). */
export const VALUE_MAX = 32_768;

/**
 * A value that is a URL with an authority: a scheme and `//`, or `//` alone, first (after what a URL parser trims).
 * Not a special scheme without slashes: `http:\t0.0.0.0:80\nadmin:\t127.0.0.1` is a listener table, and removing
 * its line breaks made it a URL to loopback.
 */
const URLISH = /^[\x00-\x20]{0,64}(?:[a-z][\w+.-]{0,31}:)?[/\\]{2}/i;

/**
 * The ideographic full stops a URL parser maps to `.` in a host (UTS #46, as WHATWG URL does: Node's URL, undici,
 * browsers), so `http://127。0。0。1/` is loopback. Only in a URL's authority: in Chinese or Japanese prose they end
 * sentences, and `。。` is no `..`.
 */
const HOST_STOPS = /[\u3002\uff61]/;
const AUTHORITY = /^([\x00-\x20]{0,64}(?:[a-z][\w+.-]{0,31}:)?[/\\]{2})([^/?#\\]{1,512})/i;

function mapHostStops(url: string): string {
  const m = AUTHORITY.exec(url);
  if (m === null || !HOST_STOPS.test(m[2]!)) return url;
  return m[1]! + m[2]!.replace(/[\u3002\uff61]/g, '.') + url.slice(m[0].length);
}

/** A `${x}`; `dropUnsetSplice` decides from what stands beside it whether it is a splice. */
const SPLICE = /\$\{([a-z_]\w{0,15})\}/gi;
/**
 * A `$x` without braces. Its name runs to the first character that cannot continue one, so nothing but what stands
 * before it can tell a splice: `cat$si /etc` (ZAP's uninitialised-variable bypass) runs `cat /etc`. Whatever the
 * name's case: glued to a word, `sleep$XYZ 5` runs `sleep 5` unless XYZ is set, and no one sets it.
 */
const BARE_SPLICE = /\$([a-z_]\w{0,63})(?!\w)/gi;

function dropBareSplice(splice: string, _name: string, at: number, text: string): string {
  return at > 0 && LETTER.test(text[at - 1]!) ? '' : splice;
}
/** An environment-style name: what build scripts and CI steps put before a command (`${CROSS_COMPILE}gcc`). */
const ENV_NAME = /^[A-Z_][A-Z0-9_]{2,}$/;
const LETTER = /[a-z]/i;

/**
 * An unset variable expands to nothing, so commix's `uninitializedvariable` tamper writes `e${An}c${An}h${An}o`
 * and `;${x}id` runs `id`. It is dropped when it sits inside a word (letters on both sides), or touches a letter
 * with a name that is not environment-style; a build script's `${CROSS_COMPILE}gcc` or `${SUDO}apt-get` keeps its
 * variable (a review found them blocked), and so does `${HOME}/.ssh`.
 */
function dropUnsetSplice(splice: string, name: string, at: number, text: string): string {
  const before = at > 0 && LETTER.test(text[at - 1]!);
  const after = LETTER.test(text[at + splice.length] ?? '');
  if (before && after) return '';
  return (before || after) && !ENV_NAME.test(name) ? '' : splice;
}

/**
 * A `%` that starts no `%XX` escape, glued to the character after it. Not a positional printf placeholder
 * (`%1$s`, `%2$d`): translation platforms carry thousands (`Copied %1$s of %2$s`), and without their `%` they read
 * as PHP variables called with an argument (`$s (2$s)`).
 */
const STRAY_PERCENT = /%(?![\da-f]{2})(?!\d{1,2}\$)(?=[^\s%])/gi;
const STRAY_PERCENT_MIN = 2;

function strayPercents(text: string): number {
  let n = 0;
  STRAY_PERCENT.lastIndex = 0;
  while (n < STRAY_PERCENT_MIN && STRAY_PERCENT.exec(text) !== null) n++;
  return n;
}

/**
 * The forms of one value the rules see: as received, fully decoded, and base64-unwrapped when it decodes to
 * text. Duplicates are dropped so a plain value costs one pass.
 */
export function variantsOf(value: string, kind: InputKind): string[] {
  const v = value.length > VALUE_MAX ? value.slice(0, VALUE_MAX / 2) + value.slice(-VALUE_MAX / 2) : value;
  const out = [v];
  // An opaque upload is stored and served as its bytes: what could run in it (a PHP tag in an image, a serialised
  // object, SVG script) is there raw, and the decoding layers meant for parameters only cost time on it (~30 µs a
  // part). Except UTF-16: XML parsers and browsers read `<\0!\0E\0…` as text (an XXE in an SVG avatar), and the
  // NULs are what made the part look binary, so it is also inspected with them removed.
  if (kind === 'file') {
    if (v.indexOf('\0') !== -1) out.push(stripControls(v));
    return out;
  }
  if (mayNeedDecoding(v)) {
    const d = deepDecode(v);
    if (d !== v) out.push(d);
  }
  // ASP and IIS drop a `%` that starts no escape: sqlmap's `percentage` tamper sends `%S%E%L%E%C%T` for SELECT.
  // Only with two or more glued to what follows (`UN%ION SEL%ECT`), so "50% off" or one printf `%s` costs no variant;
  // `%%` (a batch file's loop variable) counts once.
  for (let i = 0, n = out.length; i < n; i++) {
    const u = out[i]!;
    if (u.indexOf('%') !== -1 && strayPercents(u) >= STRAY_PERCENT_MIN) {
      const dropped = u.replace(STRAY_PERCENT, '');
      if (!out.includes(dropped)) out.push(dropped);
    }
  }
  // A URL parser (WHATWG: Node's URL, undici, browsers; Python's urllib) drops tabs and line breaks anywhere in it:
  // `http://127.0.0.1\t@10.0.0.1/` is fetched as `http://127.0.0.1@10.0.0.1/`.
  for (let i = 0, n = out.length; i < n; i++) {
    const u = out[i]!;
    if (/[\t\n\r]/.test(u) && URLISH.test(u.slice(0, 160).replace(/[\t\n\r]/g, '')))
      out.push(u.replace(/[\t\n\r]/g, ''));
  }
  for (let i = 0, n = out.length; i < n; i++) {
    const u = out[i]!;
    if (URLISH.test(u) && HOST_STOPS.test(u)) {
      const mapped = mapHostStops(u);
      if (mapped !== u && !out.includes(mapped)) out.push(mapped);
    }
  }
  if (kind !== 'raw' && v.length >= 8) {
    const pieces = kind === 'path' ? v.split('/') : [v];
    for (const p of pieces) {
      const b = base64Text(p);
      if (b !== undefined) out.push(deepDecode(b));
      else {
        const blob = serializedBlob(p);
        if (blob !== undefined) out.push(blob);
      }
    }
  }
  return out;
}

/**
 * Rule-chosen normalisations on top of decoding:
 *   cmdline      shell quoting and variable tricks removed (`c'a't`, `c\at`, `$IFS`, `$@`, `c${x}at`, `cat$x`, `^` in cmd.exe),
 *                brace expansion spelled out (`{cat,/etc/passwd}`)
 *   sqlcomments  SQL comments to spaces (block comments, and `#` or `--` up to a line break), MySQL `/*!50000 …*​/` keeps its executed content
 *   path         `\` to `/`, repeated `/` collapsed, `/./` removed (Windows and lenient servers accept these)
 *   compact      whitespace removed (spacing evasion such as `< script`, `j a v a s c r i p t:`)
 *   lookups      Log4j lookups resolved the way Log4j would before JNDI (`${lower:j}` → j, `${x:-j}` → j)
 */
export function applyTransform(text: string, t: Transform): string {
  switch (t) {
    case 'cmdline': {
      // Each replace only when its trigger is present: this runs on every non-plain value a cmdi rule looks at.
      let t = text;
      if (t.includes('$'))
        t = t
          .replace(/\$\{IFS[^}]*\}|\$IFS(?:\$\d)?(?!\w)/g, ' ')
          .replace(/\$(?:\d|@|\*|\{\d\}|\{@\})/g, '')
          .replace(SPLICE, dropUnsetSplice)
          .replace(BARE_SPLICE, dropBareSplice);
      if (t.includes('[')) t = t.replace(/\[([\w.])\]/g, '$1');
      // Bash brace expansion runs a command without spaces: `{cat,/etc/passwd}` is `cat /etc/passwd`.
      if (t.includes('{')) t = t.replace(/\{([\w./-]{1,64}(?:,[^{}\s,]{0,256}){1,16})\}/g, (_, list: string) => list.replaceAll(',', ' '));
      if (/["'\\^]/.test(t)) t = t.replace(/["'\\^]/g, '');
      return /[ \t]{2}|\t/.test(t) ? t.replace(/[ \t]+/g, ' ') : t;
    }
    case 'sqlcomments': {
      let t = text;
      if (t.includes('*/') || t.includes('/*')) {
        t = t
          .replace(/\/\*!\d{0,6}/g, ' ')
          .replace(/\/\*[\s\S]*?\*\//g, ' ')
          .replace(/\*\//g, ' ');
      }
      // Line comments run to the end of the line (`union#x\nselect` is `union select`); without a line break
      // after it a `#` is no comment that SQL would skip (`?ref=union#select` is a URL fragment). Only glued to a
      // word, quote or `)`: a hashtag, a Markdown rule (`---`) or a dash in prose starts after a space or a line.
      if (t.includes('\n') && (t.includes('#') || t.includes('--')))
        t = t.replace(/(?<=[\w'"`)])(?:#|--)[^\n]{0,256}\n/g, ' ');
      return /\s{2}|[\t\n\r\f\v]/.test(t) ? t.replace(/\s+/g, ' ') : t;
    }
    // A scheme's `://` is left alone: collapsing it changed every URL, and a changed text is scanned again and
    // makes every transformed rule a candidate. Traversal and file rules read the path after it.
    case 'path':
      return /\\|(?:^|[^:])\/\/|\/\.\//.test(text)
        ? text
            .replace(/\\/g, '/')
            .replace(/(?<!:)\/{2,}/g, '/')
            .replace(/\/(?:\.\/)+/g, '/')
        : text;
    case 'compact':
      return text.replace(/\s+/g, '');
    case 'lookups':
      return resolveLookups(text);
  }
}

/**
 * Characters without which a transform returns its input unchanged (each case of `applyTransform` starts with
 * the same test). A value that holds none of its active transforms' triggers is its own transformed text, so the
 * pre-filter's scan of the value serves the transformed rules too and nothing needs transforming.
 */
const TRANSFORM_TRIGGERS: Record<Transform, string> = {
  cmdline: '[$[{"\'\\\\^\\t]| {2}',
  sqlcomments: '\\/\\*|\\*\\/|\\s{2}|[\\t\\n\\r\\f\\v]',
  path: '\\\\|(?:^|[^:])\\/\\/|\\/\\.\\/',
  compact: '\\s',
  lookups: '\\$\\{',
};

/** One regex testing whether any of `transforms` could change a value; undefined when there are none. */
export function transformTrigger(transforms: ReadonlySet<Transform>): RegExp | undefined {
  if (transforms.size === 0) return undefined;
  return new RegExp([...transforms].map((t) => TRANSFORM_TRIGGERS[t]).join('|'));
}

/**
 * "Plain" values — letters, digits, spaces and `_.,@:+-/?!`, base64 `=` padding — cannot carry markup, quotes,
 * shell metacharacters, template or lookup syntax. Most API values are plain (ids, names, emails, dates, URLs
 * without a query, tokens), so only rules marked `plain` run on them: this is the pre-filter that keeps the
 * cost per request low. `..`, `//` (other than after a scheme), `--` and `::` before a letter are excluded, since
 * traversal, SQL comments and PostgreSQL casts (`password::int`) are made of plain characters.
 */
const PLAIN = /^[\p{L}\p{N}\p{M} _.,@:+\-/?!]*={0,2}$/u;
const PLAIN_BUT = /\.\.|(?<!:)\/\/|--|::[a-z]/i;

export function isPlain(value: string): boolean {
  return value.length <= 16_384 && PLAIN.test(value) && !PLAIN_BUT.test(value);
}

// The inner text may hold a `$` not opening a lookup: `${:1337:-x$}{jndi:…}` resolves to `x${jndi:…}`.
const LOOKUP = /\$\{((?:[^${}]|\$(?!\{))*)\}/g;

/**
 * Resolves Log4j lookups innermost first, the way Log4j 2 rebuilt `${jndi:` from `${${lower:j}ndi:` or
 * `${${env:NOPE:-j}ndi:` (CVE-2021-45046 bypasses). A `${jndi:…}` itself is left in place for the rule to see.
 */
export function resolveLookups(text: string): string {
  if (text.indexOf('${') === -1) return text;
  let cur = text;
  for (let i = 0; i < 12; i++) {
    const next = cur.replace(LOOKUP, (m, inner: string) => {
      if (/^\s*j\s*n\s*d\s*i\s*:/i.test(inner)) return m;
      const dflt = inner.indexOf(':-');
      if (dflt !== -1) return inner.slice(dflt + 2);
      const lu = /^\s*(lower|upper)\s*:(.*)$/is.exec(inner);
      if (lu) return lu[1]!.toLowerCase() === 'lower' ? lu[2]!.toLowerCase() : lu[2]!.toUpperCase();
      const date = /^\s*date\s*:\s*'([^']*)'\s*$/i.exec(inner);
      if (date) return date[1]!;
      return inner.slice(inner.lastIndexOf(':') + 1);
    });
    if (next === cur) break;
    cur = next;
  }
  return cur;
}
