import type { Severity } from '../core/finding.ts';
import type { CompiledRule } from './ruleset.ts';

/**
 * Password fields: what a user chose or a password manager generated, compared or hashed by the application and
 * never shown, fetched, opened or run.
 *
 * Why: a generated password mixes every symbol, so some hold a rule's shape by chance. 50,000 random 12–24
 * character passwords over 1Password's symbol set (scratch probe, 2026-12-07) were high or critical in 1 %:
 * `…Xdi~` a backup file, `$(HPcF$a>jjhm1B)` command substitution, `(#w=` OGNL, `;nc` a separator and a command,
 * `)(` an LDAP filter, `tv&&5;#NV]k` SQL to libinjection — each a user who could not log in, and blocked for
 * trying. And the matched fragment of a password was copied into events and the audit trail.
 *
 * So in the value of a field named like a password (`credentialFields`, compared without case, `_` or `-`:
 * `new_password`, `newPassword` and `new-password` are one name):
 *   - what a generated password trips by chance is lowered to `low` (recorded, adding a little risk, never a
 *     challenge on its own): shell and LDAP findings, and the OGNL, PHP-variable, `<?=`, backup-file and `/..`
 *     rules the probe saw. Everything else keeps its severity — code execution (Struts S2-001 went through a
 *     login's password field), markup, URLs and addresses, traversal to a file, template and Log4j lookups, NoSQL
 *     operators, prototype pollution — since a field that merely carries a password's name (a GraphQL variable
 *     `$password` bound to a profile field) may go anywhere. The cost is written down in docs/detection.md (Dangerous defaults): a
 *     device that passes the password to a shell (`chpasswd`, router firmware) gets only a low finding for
 *     command injection through it.
 *   - SQL injection keeps its severity when the value leaves the string literal a password is compared as
 *     (`… AND pass = '<value>'`): a quote or backslash followed by a comment or `;`, or by an operator or SQL word
 *     and another quote (`admin'--`, `'=0#`, `' IS NOT NULL-- `, `' OR '1'='1`); or a tautology ended by a comment
 *     with no quote at all (the split injection: user `\`, password ` or 1=1-- -`), or a UNION SELECT.
 *   - the fragment is never the text, and the clean-value cache keeps a hash.
 * Only values count: a field *name* is chosen by whoever sends it (`__proto__[isAdmin][pass]=1` is prototype
 * pollution whatever its last part); uploaded files never count; whole-form copies are inspected with password
 * values blanked (`maskCredentials`); extraction marks the fields (`ExtractedRequest.credentials`), judging each
 * field name once. XML is the exception: where a value stands in a document cannot be trusted (xml.ts), so an XML
 * password is judged in full and only kept out of the records (`ExtractedRequest.redacted`, body.ts).
 */
const LOWERED_CATEGORIES = new Set(['cmdi', 'ldap']);
const LOWERED_RULES = new Set([
  'java.ognl-el',
  'php.variable-function',
  'php.superglobal',
  'php.open-tag',
  'sensitive-file.backup-dump',
  'traversal.dot-dot-path',
  // A typed backslash and zero (`0-=\\0-=\\`, a keyboard walk in a leaked-password list); a real NUL keeps it.
  'protocol.null-byte',
]);
/**
 * After a quote: a comment or `;` that drops the rest of the query (`admin'--`, `'=0#`), or an operator or SQL word
 * and then another quote that closes what the query's own quote opens (`'='`, `' or ''='`). A generated password
 * with one quote and an `=` after it (`skJSs'=@xcaTkrl`) is neither.
 */
const AFTER_QUOTE =
  /['"`\\][\s\S]{0,256}?(?:--|#|\/\*|;)|['"`\\][\s()]{0,256}(?:[=<>|&^*+/%!-]|(?:or|and|xor|not|is|in|div|like|rlike|regexp|glob|between|union|select|having|order|group|where|exec|sleep|benchmark|waitfor)\b)[\s\S]{0,256}?['"`]/i;
/**
 * Lowered rules that keep their severity when the value holds what makes the payload work, which a generated
 * password does not hold by chance: an OGNL expression reaching a static member or the member-access guard (Struts
 * S2-001 through a login's password: `%{@System@getenv()}`), a named PHP superglobal (`$_GET`, not `${A}`).
 */
const KEEP_WHEN: ReadonlyMap<string, RegExp> = new Map([
  ['java.ognl-el', /[%$]\{[\s\S]{0,256}?(?:@\s{0,8}[\w.]+\s{0,8}@|#_?memberAccess|#context|#attr|#request)/i],
  ['php.superglobal', /\$_(?:GET|POST|REQUEST|COOKIE|SERVER|FILES|ENV|SESSION)\b|\$GLOBALS\b/i],
  ['protocol.null-byte', /\x00|%00/],
]);
const SUFFIX = /\b(?:or|and|xor|having)\b[\s\S]{0,256}?(?:--|#|\/\*)|\bunion\b[\s\S]{0,256}?\bselect\b/i;

export const REDACTED = '‹a password field: not recorded›';
const PASSWORD_MAX = 200;

/** The severity a finding of `rule` keeps in a password field's value, whose variants are `variants`. */
export function credentialSeverity(rule: CompiledRule, severity: Severity, variants: readonly string[]): Severity {
  // No password manager writes 200 characters; a longer value is padding around something else, judged in full.
  if (variants.some((v) => v.length > PASSWORD_MAX)) return severity;
  if (rule.category === 'sqli') {
    if (variants.some((v) => AFTER_QUOTE.test(v) || SUFFIX.test(v))) return severity;
  } else if (!LOWERED_CATEGORIES.has(rule.category) && !LOWERED_RULES.has(rule.id)) return severity;
  const keep = KEEP_WHEN.get(rule.id);
  if (keep !== undefined && variants.some((v) => keep.test(v))) return severity;
  return severity === 'info' ? 'info' : 'low';
}

/**
 * A form or query string with the values of password fields blanked, for the whole-form copy the inspector also
 * reads (an application that reads the raw string): the fields themselves are inspected on their own.
 */
export function maskCredentials(
  pairs: readonly (readonly [string, string])[],
  isCredential: (name: string) => boolean,
): string | undefined {
  if (!pairs.some(([k]) => isCredential(k))) return undefined;
  return pairs.map(([k, v]) => (isCredential(k) ? `${k}=` : v === '' ? k : `${k}=${v}`)).join('&');
}
