import { constants, createHmac, createPublicKey, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PortcullisError } from '../core/errors.ts';

/**
 * Just enough JWS (RFC 7515) compact verification to trust a bearer token's `sub`: HS*, RS*, PS*, ES*, EdDSA.
 * `alg: none` and algorithms the key cannot do are refused (the classic HS256-with-a-public-key confusion).
 * Without a configured key the subject is still used, marked unverified, because a forged `sub` must not be able
 * to pass for a real principal.
 */

export interface JwtClaims {
  readonly sub?: string;
  readonly iss?: string;
  readonly exp?: number;
  readonly nbf?: number;
}

export type JwtCheck = { readonly claims: JwtClaims; readonly verified: boolean; readonly reason?: string };

type Key = { readonly kind: 'hmac'; readonly secret: Buffer } | { readonly kind: 'public'; readonly key: KeyObject };

const HASH: Readonly<Record<string, string>> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

function b64json(part: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class JwtVerifier {
  #single: Key | undefined;
  #byKid = new Map<string, Key>();

  constructor(options: { keyFile?: string | undefined; jwksFile?: string | undefined }) {
    try {
      this.#load(options);
    } catch (cause) {
      const which = options.jwksFile !== undefined ? `jwksFile ${options.jwksFile}` : `keyFile ${options.keyFile}`;
      throw new PortcullisError(
        'PC_ERR_IDENTITY_JWT_KEY',
        `cannot load identity.jwt.${which} (${(cause as Error).message}); fix the path or the key`,
        { cause },
      );
    }
  }

  #load(options: { keyFile?: string | undefined; jwksFile?: string | undefined }): void {
    if (options.keyFile !== undefined) {
      const text = readFileSync(options.keyFile);
      this.#single = text.includes('-----BEGIN')
        ? { kind: 'public', key: createPublicKey(text) }
        : { kind: 'hmac', secret: Buffer.from(text.toString('utf8').trim(), 'utf8') };
    }
    if (options.jwksFile !== undefined) {
      const set = JSON.parse(readFileSync(options.jwksFile, 'utf8')) as { keys?: Record<string, unknown>[] };
      for (const jwk of set.keys ?? []) {
        const kid = typeof jwk.kid === 'string' ? jwk.kid : '';
        const key: Key =
          jwk.kty === 'oct' && typeof jwk.k === 'string'
            ? { kind: 'hmac', secret: Buffer.from(jwk.k, 'base64url') }
            : { kind: 'public', key: createPublicKey({ key: jwk as never, format: 'jwk' }) };
        this.#byKid.set(kid, key);
      }
    }
  }

  get hasKeys(): boolean {
    return this.#single !== undefined || this.#byKid.size > 0;
  }

  /**
   * The signature check alone (cacheable per token); apply `withinLifetime` per request for `exp`/`nbf`.
   * undefined when the token is not a JWT at all (an opaque bearer token).
   */
  check(token: string): JwtCheck | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const header = b64json(parts[0]!);
    const claims = b64json(parts[1]!) as JwtClaims | undefined;
    if (header === undefined || claims === undefined) return undefined;
    if (!this.hasKeys) return { claims, verified: false, reason: 'no key configured' };
    const key = typeof header.kid === 'string' ? (this.#byKid.get(header.kid) ?? this.#single) : this.#single;
    if (key === undefined) return { claims, verified: false, reason: 'unknown kid' };
    const alg = typeof header.alg === 'string' ? header.alg : '';
    if (!verifySignature(alg, key, `${parts[0]}.${parts[1]}`, Buffer.from(parts[2]!, 'base64url'))) {
      return { claims, verified: false, reason: 'bad signature' };
    }
    return { claims, verified: true };
  }
}

/** A signature-valid token still counts as unverified outside its `nbf`..`exp` window (RFC 7519 §4.1.4–5). */
export function withinLifetime(check: JwtCheck, nowMs: number): JwtCheck {
  if (!check.verified) return check;
  const now = nowMs / 1000;
  const { claims } = check;
  if (typeof claims.exp === 'number' && now >= claims.exp) return { claims, verified: false, reason: 'expired' };
  if (typeof claims.nbf === 'number' && now < claims.nbf) return { claims, verified: false, reason: 'not yet valid' };
  return check;
}

function verifySignature(alg: string, key: Key, signed: string, sig: Buffer): boolean {
  const hash = HASH[alg.slice(2)];
  try {
    if (alg.startsWith('HS') && hash !== undefined && key.kind === 'hmac') {
      const mac = createHmac(hash, key.secret).update(signed).digest();
      return mac.length === sig.length && timingSafeEqual(mac, sig);
    }
    if (key.kind !== 'public') return false;
    const data = Buffer.from(signed);
    if (alg === 'EdDSA') return verify(null, data, key.key, sig);
    if (hash === undefined) return false;
    if (alg.startsWith('RS')) return verify(hash, data, key.key, sig);
    if (alg.startsWith('PS'))
      return verify(
        hash,
        data,
        {
          key: key.key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        },
        sig,
      );
    // JWS ECDSA signatures are r||s, not DER (RFC 7518 §3.4).
    if (alg.startsWith('ES')) return verify(hash, data, { key: key.key, dsaEncoding: 'ieee-p1363' }, sig);
    return false;
  } catch {
    return false;
  }
}
