/**
 * A facet is one identifying attribute of a client, written as `kind:value` so every stage after `identify`
 * (gate, profile, score, record) treats them alike and they can be used directly as map keys.
 *
 *   ip:203.0.113.7        the resolved client address (v4-mapped v6 already normalised to v4)
 *   subnet:203.0.113.0/24 its /24 (v4) or /64 (v6)
 *   tls:t13d1516h2_…      JA4 of the connection's ClientHello
 *   ja3:…                 JA3 hash of the same ClientHello (kept for interop with other tools' feeds)
 *   http:h1…              our own HTTP fingerprint (docs/fingerprints.md)
 *   principal:…           salted hash of the API principal (API key, bearer subject, session)
 *   account:…             salted hash of the username targeted on a login route
 *   bot:googlebot         a verified good bot (published ranges or forward-confirmed rDNS)
 */
export const FACET_KINDS = ['ip', 'subnet', 'tls', 'ja3', 'http', 'principal', 'account', 'bot'] as const;
export type FacetKind = (typeof FACET_KINDS)[number];
export type Facet = `${FacetKind}:${string}`;

export function facet(kind: FacetKind, value: string): Facet {
  return `${kind}:${value}`;
}

/** Splits a facet at its first colon; IPv6 values keep their own colons. */
export function parseFacet(text: string): { kind: FacetKind; value: string } | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const kind = text.slice(0, colon) as FacetKind;
  if (!(FACET_KINDS as readonly string[]).includes(kind)) return undefined;
  const value = text.slice(colon + 1);
  return value.length > 0 ? { kind, value } : undefined;
}

export function facetKind(f: Facet): FacetKind {
  return f.slice(0, f.indexOf(':')) as FacetKind;
}
