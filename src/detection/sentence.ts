/**
 * "Is this value a sentence that mentions the match?" — at least SENTENCE_WORDS whitespace-separated words of
 * prose anywhere in the value: "Check /var/log/syslog for errors", "logs are in /var/log/myapp/", "set ${HOME}
 * to your home directory".
 *
 * Why: a file path, a PHP superglobal or a JDK class name is an attack when it is the value (`/etc/passwd` read by
 * an include, `${HOME}` evaluated); a path value cannot carry words around it and still name the file. Support
 * tickets, chat messages and runbook notes name the same paths in short sentences all the time, and the earlier
 * test (four words in a row) let those through only when the words came together: "Check /var/log/syslog for
 * errors" was blocked. Payloads that embed such a path in a command or in code (`; cat /etc/passwd`, `<!ENTITY x
 * SYSTEM "file:///etc/passwd">`, `load_file('/etc/passwd')`) are judged by the rules for that syntax, which do
 * not use this test.
 *
 * A word is 2 to 32 letters (any script), an apostrophe or hyphen inside, an opening bracket or quote before and
 * punctuation after: `-la`, `/etc/hosts`, `$HOME` and `x=1` are not words. Two of the words must follow each
 * other, as words do in a sentence: code spaced out token by token (`[ ] . sort . call \` \${ alert } \``, a CRS
 * evasion test) has words too, but never two in a row. Linear: one pass over tokens.
 */
export const SENTENCE_WORDS = 3;
const WORD = /^[("'‘“]?\p{L}{2,32}(?:['’-]\p{L}{1,32})*[)"'’”]?[,.;:!?]?[)"'’”]?$/u;

const NUL = /\0|%00/;

export function isSentence(text: string): boolean {
  // C string APIs stop at a NUL: `/etc/passwd%00 is my file` opens /etc/passwd. Prose has no NUL, raw or encoded
  // (decoding drops control characters, so the encoded one is the one left to see).
  if (NUL.test(text)) return false;
  let words = 0;
  let adjacent = false;
  let previous = false;
  for (const token of text.split(/\s+/)) {
    const word = token.length >= 2 && WORD.test(token);
    if (word) {
      words++;
      adjacent ||= previous;
      if (adjacent && words >= SENTENCE_WORDS) return true;
    }
    previous = word;
  }
  return false;
}
