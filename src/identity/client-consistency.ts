import type { IncomingHttpHeaders } from 'node:http';
import type { TlsFingerprint } from '../pipeline/context.ts';
import type { ClaimedClient, Engine } from './user-agent.ts';

/**
 * Claimed vs real client: what each browser engine's requests look like on the wire, checked against what this
 * request actually sent. A script that copies Chrome's User-Agent keeps its own TLS library and header habits
 * (python-requests sends no Accept-Language and offers no ALPN), and that mismatch is the finding.
 * Every trait here holds for the engine's *default* behaviour on every request type (navigation, fetch, XHR);
 * the table is repeated in docs/fingerprints.md.
 */

export interface Observed {
  readonly headers: IncomingHttpHeaders;
  /** Case mark of the HTTP fingerprint: l (all lower), t (Title-Case), m (mixed). */
  readonly caseMark: string;
  readonly httpVersion: string;
  readonly secure: boolean;
  readonly tls?: TlsFingerprint;
}

interface Trait {
  readonly id: string;
  /** Whether this trait applies to the claim and the connection it came on. */
  readonly when?: (claim: ClaimedClient, seen: Observed) => boolean;
  readonly holds: (seen: Observed) => boolean;
  /** What a real browser would have sent, for the explanation. */
  readonly expected: string;
}

const BROWSER_ENGINES: readonly Engine[] = ['chromium', 'gecko', 'webkit'];

/** BoringSSL's cipher list, shared by every Chromium since ~v70 (JA4 part b; also what Chromium 156 sent here). */
const CHROMIUM_CIPHER_HASH = '8daaf6152771';

const TRAITS: readonly Trait[] = [
  {
    id: 'accept-language',
    holds: (s) => s.headers['accept-language'] !== undefined,
    expected: 'browsers always send Accept-Language',
  },
  {
    id: 'accept-encoding',
    holds: (s) => /gzip/.test(s.headers['accept-encoding'] ?? '') && /deflate/.test(s.headers['accept-encoding'] ?? ''),
    expected: 'browsers offer gzip and deflate',
  },
  {
    id: 'header-case',
    when: (_c, s) => s.httpVersion.startsWith('1.'),
    holds: (s) => s.caseMark !== 'l',
    expected: 'browsers write HTTP/1.1 header names capitalised, not all lower-case',
  },
  {
    id: 'sec-fetch',
    // Fetch Metadata: Chrome 76+, Firefox 90+, Safari 16.4+, sent only to potentially trustworthy origins.
    when: (c, s) => s.secure && (c.version ?? 0) >= minFetchVersion(c),
    holds: (s) => s.headers['sec-fetch-mode'] !== undefined,
    expected: 'browsers send Sec-Fetch-Mode over HTTPS',
  },
  {
    id: 'tls-alpn',
    when: (_c, s) => s.tls !== undefined,
    holds: (s) => /^t13d\d{4}h2_/.test(s.tls!.ja4),
    expected: 'browsers negotiate TLS 1.3 with SNI and offer h2 first',
  },
  {
    id: 'tls-ciphers',
    when: (c, s) => c.engine === 'chromium' && s.tls !== undefined,
    holds: (s) => s.tls!.ja4.split('_')[1] === CHROMIUM_CIPHER_HASH,
    expected: `Chromium's cipher list hashes to ${CHROMIUM_CIPHER_HASH} (JA4 part b)`,
  },
];

function minFetchVersion(c: ClaimedClient): number {
  return c.engine === 'chromium'
    ? 76
    : c.engine === 'gecko'
      ? 90
      : c.engine === 'webkit'
        ? 17
        : Number.POSITIVE_INFINITY;
}

/** Client hints belong to Chromium alone; present from others or absent from Chromium both mismatch. */
function hintsMismatch(c: ClaimedClient, s: Observed): string | undefined {
  const has = s.headers['sec-ch-ua'] !== undefined;
  if (c.engine === 'chromium' && s.secure && (c.version ?? 0) >= 89 && !has) {
    return 'client-hints: Chromium 89+ sends sec-ch-ua over HTTPS';
  }
  if (c.engine !== 'chromium' && has) return `client-hints: ${c.family} never sends sec-ch-ua`;
  return undefined;
}

/** The traits of the claimed browser that this request breaks, as `id: expectation` strings; empty = consistent. */
export function inconsistencies(claim: ClaimedClient, seen: Observed): string[] {
  if (!BROWSER_ENGINES.includes(claim.engine) || claim.automation) return [];
  const out: string[] = [];
  for (const t of TRAITS) {
    if (t.when !== undefined && !t.when(claim, seen)) continue;
    if (!t.holds(seen)) out.push(`${t.id}: ${t.expected}`);
  }
  const hints = hintsMismatch(claim, seen);
  if (hints !== undefined) out.push(hints);
  return out;
}
