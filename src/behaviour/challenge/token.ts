import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChallengeSecrets } from './secrets.ts';

/**
 * Challenge tokens: `v1.<kind>.<epoch>.<expiry>.<ipBind>.<stackBind>.<nonce>.<difficulty>.<mac>`
 *
 *   kind        c = cookie pass, p = proof-of-work challenge
 *   expiry      epoch ms, base 36
 *   ipBind      first 9 bytes of SHA-256("ip|" + client IP), base64url: replay from another address fails
 *   stackBind   same for the client stack (TLS or HTTP fingerprint): replay from another tool fails
 *   nonce       9 random bytes: makes every token unique, so "first use" can be recorded
 *   mac         HMAC-SHA256 over everything before it with the epoch's key (secrets.ts), base64url
 *
 * Nothing secret is inside, and nothing inside is trusted before the MAC is checked in constant time.
 */
export type TokenKind = 'c' | 'p';

export interface TokenPayload {
  readonly kind: TokenKind;
  readonly epoch: number;
  readonly expiresAt: number;
  readonly ipBind: string;
  readonly stackBind: string;
  readonly nonce: string;
  readonly difficulty: number;
}

export type TokenCheck =
  | { readonly ok: true; readonly payload: TokenPayload }
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' | 'expired' | 'other-client' | 'other-address' };

export function bind(label: 'ip' | 'stack', value: string): string {
  return createHash('sha256').update(`${label}|${value}`).digest().subarray(0, 9).toString('base64url');
}

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}

export function signToken(
  secrets: ChallengeSecrets,
  fields: { kind: TokenKind; ip: string; stack: string; ttlMs: number; difficulty?: number },
  now: number,
): string {
  const epoch = secrets.epoch(now);
  const body = [
    'v1',
    fields.kind,
    epoch,
    (now + fields.ttlMs).toString(36),
    bind('ip', fields.ip),
    bind('stack', fields.stack),
    randomBytes(9).toString('base64url'),
    fields.difficulty ?? 0,
  ].join('.');
  return `${body}.${mac(secrets.key(epoch, now)!, body)}`;
}

export function verifyToken(
  secrets: ChallengeSecrets,
  token: string,
  client: { ip: string; stack: string },
  kind: TokenKind,
  now: number,
): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 9 || parts[0] !== 'v1' || parts[1] !== kind) return { ok: false, reason: 'malformed' };
  const epoch = Number(parts[2]);
  const key = Number.isInteger(epoch) ? secrets.key(epoch, now) : undefined;
  if (key === undefined) return { ok: false, reason: 'forged' };
  const body = parts.slice(0, 8).join('.');
  const expected = Buffer.from(mac(key, body));
  const given = Buffer.from(parts[8]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  const payload: TokenPayload = {
    kind,
    epoch,
    expiresAt: Number.parseInt(parts[3]!, 36),
    ipBind: parts[4]!,
    stackBind: parts[5]!,
    nonce: parts[6]!,
    difficulty: Number(parts[7]),
  };
  if (!(payload.expiresAt > now)) return { ok: false, reason: 'expired' };
  if (payload.stackBind !== bind('stack', client.stack)) return { ok: false, reason: 'other-client' };
  if (payload.ipBind !== bind('ip', client.ip)) return { ok: false, reason: 'other-address' };
  return { ok: true, payload };
}
