import type { IncomingHttpHeaders } from 'node:http';
import type { Facet } from '../core/facet.ts';
import { Memo } from '../core/memo.ts';
import type { IdentityConfig } from './config.ts';
import { type JwtCheck, type JwtVerifier, withinLifetime } from './jwt.ts';
import type { FacetHasher } from './salt.ts';

/**
 * The API principal: who the request authenticates as. The first extractor that finds something wins, most
 * specific first: API key header, then bearer token, then session cookie. Facet values say where the principal
 * came from, so an unverified JWT subject can never collide with a verified one:
 *
 *   principal:k-<hash>  API key            principal:j-<hash>  JWT sub, signature verified
 *   principal:u-<hash>  JWT sub, unverified principal:b-<hash>  opaque bearer token
 *   principal:s-<hash>  session cookie
 *
 * A JWT's subject is hashed with its issuer, so `sub: 42` from two issuers are two principals.
 */
export interface Principal {
  readonly facet: Facet;
  readonly source: 'api-key' | 'jwt' | 'bearer' | 'session';
  readonly verified?: boolean;
  /** Why a JWT is unverified (no key, bad signature, expired…), for notes and explanations. */
  readonly reason?: string;
}

interface CachedToken {
  readonly id: string;
  readonly check: JwtCheck | null;
}

/** Bearer tokens per cache generation (two are kept). */
const TOKEN_GENERATION = 32_768;

export interface PrincipalExtractor {
  extract(headers: IncomingHttpHeaders, nowMs: number): Principal | undefined;
}

function cookieValue(header: string, names: readonly string[]): string | undefined {
  // RFC 6265 §4.2.1: `name=value` pairs separated by "; ".
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const name = pair.slice(0, eq).trim();
    if (names.includes(name)) {
      const value = pair.slice(eq + 1).trim();
      if (value !== '') return value;
    }
  }
  return undefined;
}

export function createPrincipalExtractor(
  config: IdentityConfig,
  hash: FacetHasher,
  jwt: JwtVerifier,
): PrincipalExtractor {
  const keyHeaders = config.apiKeyHeaders;
  // Signature checks cost 30–100 µs (RSA, ECDSA), and clients resend one token for its lifetime: cache the
  // token's facet id and check outcome, re-checking only `exp`/`nbf` per request. Keyed by the token itself, in
  // this process's memory only (which holds every request's headers anyway; never logged or persisted): one map
  // probe per request instead of a hash and then a probe (src/core/memo.ts: two generations of TOKEN_GENERATION).
  const tokens = new Memo<CachedToken>(TOKEN_GENERATION);
  const checkNew = (token: string): CachedToken => ({ id: hash('bearer', token), check: jwt.check(token) ?? null });
  const checkToken = (token: string, nowMs: number): { id: string; check: JwtCheck | undefined } => {
    const cached = tokens.get(token, checkNew);
    return { id: cached.id, check: cached.check === null ? undefined : withinLifetime(cached.check, nowMs) };
  };
  const cookies = config.sessionCookies;
  return {
    extract(headers, nowMs) {
      for (const name of keyHeaders) {
        const v = headers[name];
        const key = Array.isArray(v) ? v[0] : v;
        if (key !== undefined && key !== '') return { facet: `principal:k-${hash('api-key', key)}`, source: 'api-key' };
      }
      const auth = headers.authorization;
      if (config.jwt.enabled && auth !== undefined && /^bearer /i.test(auth)) {
        const token = auth.slice(7).trim();
        if (token !== '') {
          const { id: tokenId, check } = checkToken(token, nowMs);
          if (check === undefined) return { facet: `principal:b-${tokenId}`, source: 'bearer' };
          const sub = typeof check.claims.sub === 'string' ? check.claims.sub : undefined;
          const iss = typeof check.claims.iss === 'string' ? check.claims.iss : '';
          // A JWT without `sub` still identifies its holder: hash the token itself.
          const id = sub === undefined ? tokenId : hash('jwt-sub', `${iss}\0${sub}`);
          return {
            facet: `principal:${check.verified ? 'j' : 'u'}-${id}`,
            source: 'jwt',
            verified: check.verified,
            ...(check.reason === undefined ? {} : { reason: check.reason }),
          };
        }
      }
      const cookie = headers.cookie;
      if (cookie !== undefined && cookies.length > 0) {
        const value = cookieValue(cookie, cookies);
        if (value !== undefined) return { facet: `principal:s-${hash('session', value)}`, source: 'session' };
      }
      return undefined;
    },
  };
}
