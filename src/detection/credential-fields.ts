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
 * So in a field named like a password (`credentialFields`, compared without case, `_` or `-`: `new_password`,
 * `newPassword` and `new-password` are one name):
 *   - SQL injection keeps its severity only when the value can close the string literal a password is compared as
 *     (`… AND pass = '<value>'`: a quote or a backslash) and then say something: a SQL word (`' OR '1'='1`,
 *     `' UNION SELECT`) or a comment or operator right after the quote (`admin'--`, `'||'1'='1`). A generated
 *     password holds a quote as often as not, and libinjection read 0.2 % of those as SQL (`skJSs'=@xcaTkrl`).
 *     NoSQL operators keep their severity: they arrive as keys (`password[$ne]`), not in this value.
 *   - every other finding is at most `low`: recorded and adding a little risk, never a challenge on its own. The cost
 *     is written down in docs/detection.md (Dangerous defaults): a device that passes the password to a shell
 *     (`chpasswd`, router firmware) is not protected from command injection through it.
 *   - the fragment is never the text (`‹a password field: not recorded›`), and the clean-value cache keeps a hash.
 */
const LITERAL_BREAK = /['"`\\]/;
const SQL_AFTER_BREAK =
  /\b(?:or|and|xor|union|select|like|rlike|regexp|sleep|benchmark|waitfor|having|order|group|where|exec)\b|['"`)]\s{0,16}(?:--|#|\/\*|;|\|\||&&)/i;

export function credentialName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/** The parameter name a location ends in: `body.user.password` → `password`, `query.pwd` → `pwd`. */
export function paramOf(location: string): string {
  return location.slice(location.lastIndexOf('.') + 1);
}

/** The severity a finding of `rule` keeps in a credential field holding `variants`. */
export function credentialSeverity(rule: CompiledRule, severity: Severity, variants: readonly string[]): Severity {
  if (rule.category === 'nosqli') return severity;
  if (rule.category === 'sqli' && variants.some((v) => LITERAL_BREAK.test(v) && SQL_AFTER_BREAK.test(v))) return severity;
  return severity === 'info' ? 'info' : 'low';
}

export function redactedFragment(): string {
  return '‹a password field: not recorded›';
}
