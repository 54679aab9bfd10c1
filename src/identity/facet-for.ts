import type { Facet } from '../core/facet.ts';
import type { FacetHasher } from './salt.ts';

/**
 * The facet a known secret or username maps to, so an operator can block "account alice@example.com" or one API
 * key without having seen it in traffic: the same normalisation and salted hash the extractors use
 * (account.ts lower-cases and trims; principal.ts prefixes by source). The value goes in a POST body and is
 * hashed and dropped; it is never stored or echoed.
 */
export const FACET_SOURCES = ['account', 'api-key', 'session', 'bearer', 'jwt-sub'] as const;
export type FacetSource = (typeof FACET_SOURCES)[number];

export function facetFor(hash: FacetHasher, source: FacetSource, value: string, issuer = ''): Facet {
  switch (source) {
    case 'account':
      return `account:${hash('account', value.trim().toLowerCase())}`;
    case 'api-key':
      return `principal:k-${hash('api-key', value)}`;
    case 'session':
      return `principal:s-${hash('session', value)}`;
    case 'bearer':
      return `principal:b-${hash('bearer', value)}`;
    case 'jwt-sub':
      // Verified subjects only: an unverified one (`u-`) is never a target worth blocking by name.
      return `principal:j-${hash('jwt-sub', `${issuer}\0${value}`)}`;
  }
}
