import { z } from 'zod';

/**
 * `identity:` section of the gateway config. Every field has a default so `identityConfigSchema.parse({})` is a
 * complete config. Secrets seen by the extractors (API keys, tokens, cookies, usernames) are never kept: facets
 * carry a salted hash of them under `hashSalt` (docs/fingerprints.md, "Principal and account").
 */

const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name, e.g. x-api-key')
  .transform((s) => s.toLowerCase());

export const identityConfigSchema = z
  .object({
    /** Headers whose value is an API key; the key becomes `principal:k-<hash>`. */
    apiKeyHeaders: z.array(headerName).default(['x-api-key']),
    jwt: z
      .object({
        /** Take the principal from `Authorization: Bearer <jwt>` (its `sub`). Opaque bearer tokens are hashed whole. */
        enabled: z.boolean().default(true),
        /** PEM public key (RS/ES/PS/EdDSA) or a file holding an HMAC secret (HS*); signatures are then verified. */
        keyFile: z.string().min(1).optional(),
        /** JSON Web Key Set file (as served at an issuer's jwks_uri); keys are picked by `kid`. */
        jwksFile: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    /** Session cookie names; the first present becomes `principal:s-<hash>`. */
    sessionCookies: z.array(z.string().min(1)).default(['session', 'sid', 'connect.sid', 'JSESSIONID', 'PHPSESSID']),
    /**
     * Where a login body names the targeted account: dotted paths into a JSON body (`user.email`) or form field
     * names, tried in order; the first present wins. Which routes are login routes is `behaviour.routes.login`:
     * one list, so stuffing detection and the account facet always agree.
     */
    accountFields: z.array(z.string().min(1)).min(1).default(['username', 'email', 'login', 'user']),
    /** `auto` reads the Content-Type; `json` or `form` force one. */
    accountFormat: z.enum(['auto', 'json', 'form']).default('auto'),
    /** Most body bytes read on a login route to find the account field. */
    loginBodyBytes: z.number().int().min(64).max(1_048_576).default(16_384),
    /**
     * Key for the facet HMACs. Absent: 32 random bytes generated once into `<dataDir>/identity-salt` (0600), so
     * facets stay stable across restarts. Cluster nodes must share it, or the same key hashes differently per node.
     */
    hashSalt: z.string().min(16, 'must be at least 16 characters of random data').optional(),
    goodBots: z
      .object({
        enabled: z.boolean().default(true),
        /** Directory of published range files (`<bot>.json` in Google's format, or `<bot>.txt`, one CIDR a line). */
        rangesDir: z.string().min(1).default('data/good-bots'),
        /** DNS server for forward-confirmed reverse DNS, `host` or `host:port`; absent = the system resolver. */
        resolver: z.string().min(1).optional(),
        /** Per lookup, ms. A timed-out check counts as unverified and is retried after `negativeTtlMs`. */
        lookupTimeoutMs: z.number().int().min(50).max(30_000).default(2_000),
        /** How long a verified address stays verified, ms. */
        positiveTtlMs: z
          .number()
          .int()
          .min(1_000)
          .default(24 * 3_600_000),
        /** How long a failed verification is remembered, ms. */
        negativeTtlMs: z.number().int().min(1_000).default(3_600_000),
        /** Verification results kept (one per claimant address). */
        cacheEntries: z.number().int().min(100).max(10_000_000).default(100_000),
      })
      .strict()
      .prefault({}),
    actors: z
      .object({
        /** Memory the actor graph may use, MB (estimated from its own bookkeeping; least recently seen facets go first). */
        memoryCapMb: z.number().int().min(1).max(65_536).default(512),
        /** A link's weight halves after this long without being seen again, ms. */
        linkHalfLifeMs: z
          .number()
          .int()
          .min(1_000)
          .default(6 * 3_600_000),
        /** Links kept per facet (weakest dropped first); bounds a hub like a shared fingerprint. */
        maxLinksPerFacet: z.number().int().min(1).max(256).default(16),
        /** Recent findings kept per facet for GET /api/v1/actors/:facet. */
        findingsPerFacet: z.number().int().min(0).max(100).default(8),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type IdentityConfig = z.infer<typeof identityConfigSchema>;
export type IdentityConfigInput = z.input<typeof identityConfigSchema>;
