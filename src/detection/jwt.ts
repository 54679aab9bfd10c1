import { Memo } from '../core/memo.ts';
import type { Input, InputKind } from './types.ts';

/**
 * A compact JSON Web Token (RFC 7519: three base64url segments, the first two JSON objects, so both start `eyJ`),
 * bare or after `Bearer `, is inspected as the fields of its decoded header instead of as token text:
 *
 * - The header is what an application reads before it verifies the signature (`kid` picks the key, `jku` and
 *   `x5u` fetch one), so that is where injections reach it: `"kid":"../../../dev/null"`, `"kid":"x' UNION
 *   SELECT 'key"`, `"jku":"http://169.254.169.254/…"`. Each field is its own value (`header.authorization.jwt.kid`),
 *   so rules that read a whole value (`^http://10.…`, `; id`) see it as they would a parameter.
 * - The claims count only once the signature holds, and are base64url that no rule can read; a rule that fired on
 *   the token text did so by chance. An unsigned token (`"alg":"none"`) has nothing to hold, so its claims are
 *   inspected too.
 * - A service's tokens share one header, so the clean-value cache answers for its fields from the second request
 *   on, where the token itself (new for every session) cost a full scan of ~250 characters each time.
 */
const JWT = /^(?:bearer +)?(eyJ[A-Za-z0-9_-]{1,4096})\.(eyJ[A-Za-z0-9_-]{0,65536})\.[A-Za-z0-9_-]{0,4096}$/i;
const BEARER = 7;
/** Fields inspected per segment; a header has a handful. */
const MAX_FIELDS = 32;
const FIELD_NAME = /^[\w-]{1,32}$/;
/** Header parameters RFC 7515/7516/7797 register: their names are not inspected (every token carries them). */
const REGISTERED = new Set(['alg', 'typ', 'cty', 'kid', 'jku', 'jwk', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'crit', 'enc', 'zip', 'b64']);

/** One field of a segment: its name, its location suffix and its value as text (undefined for numbers and booleans). */
interface Field {
  readonly name: string;
  readonly loc: string;
  readonly value: string | undefined;
}
/** Headers' fields, decoded once: a service's tokens share their header segment. */
const headers = new Memo<{ readonly fields: readonly Field[]; readonly unsigned: boolean }>(1024);
const decodeHeader = (segment: string) => {
  const header = decode(segment);
  const alg = typeof header === 'object' ? header.alg : undefined;
  return { fields: fieldsOf(header), unsigned: typeof alg === 'string' && alg.toLowerCase() === 'none' };
};

/**
 * Pushes the values a JWT holds onto `inputs` in place of the token and returns true; returns false (pushing
 * nothing) when `value` is not a JWT.
 */
export function pushJwt(inputs: Input[], kind: InputKind, location: string, value: string): boolean {
  // Most values fail on the first character: no regex call for them.
  const c = value.charCodeAt(0);
  if (c === 101 /* e */) {
    if (!value.startsWith('eyJ')) return false;
  } else if (c === 66 || c === 98 /* B, b */) {
    if (value.charCodeAt(BEARER - 1) !== 32 || !value.startsWith('eyJ', BEARER)) return false;
  } else return false;
  const m = JWT.exec(value);
  if (m === null) return false;
  const header = headers.get(m[1]!, decodeHeader);
  push(inputs, kind, `${location}.jwt`, header.fields);
  if (header.unsigned) push(inputs, kind, `${location}.jwt-claims`, fieldsOf(decode(m[2]!)));
  return true;
}

/** The segment as a JSON object, or its decoded text when it is not one. */
function decode(segment: string): Record<string, unknown> | string {
  const text = Buffer.from(segment, 'base64url').toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: inspected as text below.
  }
  return text;
}

/** A segment's fields (a text that is not a JSON object is one field with no name). */
function fieldsOf(segment: Record<string, unknown> | string): Field[] {
  if (typeof segment === 'string') return [{ name: '', loc: '', value: segment }];
  const fields: Field[] = [];
  for (const [name, v] of Object.entries(segment).slice(0, MAX_FIELDS)) {
    const value = typeof v === 'string' ? v : v !== null && typeof v === 'object' ? JSON.stringify(v) : undefined;
    fields.push({ name, loc: `.${FIELD_NAME.test(name) ? name : '_'}`, value });
  }
  return fields;
}

function push(inputs: Input[], kind: InputKind, location: string, fields: readonly Field[]): void {
  for (const f of fields) {
    const loc = location + f.loc;
    // Names outside the registered ones too: `{"__proto__":…}` is prototype pollution in whatever parses it.
    if (f.loc !== '' && !REGISTERED.has(f.name)) inputs.push({ kind: 'key', location: loc, value: f.name });
    if (f.value !== undefined) inputs.push({ kind, location: loc, value: f.value });
  }
}
