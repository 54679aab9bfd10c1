/**
 * A compact JSON Web Token (RFC 7519: three base64url segments, the first two JSON objects, so both start `eyJ`),
 * bare or after `Bearer `, is inspected as its decoded header instead of as token text:
 *
 * - The header is what an application reads before it verifies the signature (`kid` picks the key, `jku` and
 *   `x5u` fetch one), so that is where injections reach it: `"kid":"../../../dev/null"`, `"kid":"x' UNION
 *   SELECT 'key"`, `"jku":"http://169.254.169.254/…"`. The token text hid all of them in base64url.
 * - The payload's claims count only once the signature holds, and the payload and signature are base64url that
 *   no rule can read; a rule that fired on them did so by chance, a false positive.
 * - A service's tokens share one header, so the clean-value cache answers for it from the second request on,
 *   where the token itself (new for every session) cost a full scan of ~250 characters each time.
 */
const JWT = /^(?:bearer +)?(eyJ[A-Za-z0-9_-]{1,4096})\.eyJ[A-Za-z0-9_-]{0,65536}\.[A-Za-z0-9_-]{0,4096}$/i;
const BEARER = 7;

/** The decoded header of `value` when it is a JWT (or `Bearer <JWT>`), else undefined. */
export function jwtHeader(value: string): string | undefined {
  // Most values fail on the first character: no regex call for them.
  const c = value.charCodeAt(0);
  if (c === 101 /* e */) {
    if (!value.startsWith('eyJ')) return undefined;
  } else if (c === 66 || c === 98 /* B, b */) {
    if (value.charCodeAt(BEARER - 1) !== 32 || !value.startsWith('eyJ', BEARER)) return undefined;
  } else return undefined;
  const m = JWT.exec(value);
  return m === null ? undefined : Buffer.from(m[1]!, 'base64url').toString('utf8');
}
