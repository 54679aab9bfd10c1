/**
 * "Is this value a document written for people?" — two or more paragraphs (separated by a blank line), each with
 * a run of at least PROSE_RUN consecutive words of prose. Articles, support tickets and forum posts look like
 * this; the payloads attack tools send (sqlmap, gotestwaf, nuclei templates, the CRS and libinjection corpora)
 * never do: they are one line, or lines of code.
 *
 * Why it matters: libinjection reads a value from a quote context, so everything before the first quote becomes
 * one string token and the SQL a writer quotes after it (`' OR '1'='1' --` in an article about SQL injection)
 * fingerprints as an injection. A rule can use `confirm.notInDocument` to lower such a finding to risk. The cost
 * is written down in docs/detection.md (Dangerous defaults): an attacker who pads a payload with two paragraphs
 * of prose gets the lower severity from that rule (other rules still see the payload).
 *
 * Linear in the length of the value: one pass over whitespace-separated tokens, no regex backtracking.
 */
export const PROSE_RUN = 20;
const MIN_LENGTH = 300;
/** A prose word: letters (any script), with an apostrophe or hyphen inside and punctuation around it. */
const WORD = /^[("'‘“]?\p{L}+(?:['’-]\p{L}+)*[)"'’”]?[,.;:!?]?[)"'’”]?$/u;

export function isDocument(text: string): boolean {
  if (text.length < MIN_LENGTH) return false;
  let paragraphs = 0;
  for (const paragraph of text.split(/\n[ \t]*\r?\n/)) {
    let run = 0;
    for (const token of paragraph.split(/\s+/)) {
      if (token === '') continue;
      run = WORD.test(token) ? run + 1 : 0;
      if (run >= PROSE_RUN) {
        paragraphs++;
        break;
      }
    }
    if (paragraphs >= 2) return true;
  }
  return false;
}
