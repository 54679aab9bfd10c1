import { z } from 'zod';
import { DEFAULT_LOGIN_ROUTES, routePatternProblem } from '../core/route-pattern.ts';

/**
 * Behaviour engine configuration (issue 6). Every field has a default so `behaviourConfigSchema.parse({})` is a
 * complete, working configuration; units are in the names (`Ms`, `Seconds`, `Ratio`). Unknown keys are errors
 * (style rule 9). Why each default is what it is: docs/rationale.md, "Behaviour".
 */
const ms = (d: number) => z.number().int().min(0).default(d);
const count = (d: number) => z.number().int().min(1).default(d);
const ratio = (d: number) => z.number().min(0).max(1).default(d);
// Every field of every section has a default, so `{}` is a valid input; TypeScript cannot see that through the
// generic, hence the cast.
const section = <T extends z.ZodRawShape>(shape: T) =>
  z
    .object(shape)
    .strict()
    .prefault({} as z.input<z.ZodObject<T, z.core.$strict>>);

const routePattern = z
  .object({
    /** `*` for any method. */
    method: z.string().default('POST'),
    /** Path with `:name` segments, a trailing `*` and a leading `**` (src/core/route-pattern.ts). */
    path: z
      .string()
      .startsWith('/')
      .superRefine((path, ctx) => {
        const problem = routePatternProblem(path);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      }),
  })
  .strict();

const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);

export const behaviourConfigSchema = z
  .object({
    windows: section({
      /** Keys kept by the embedded counter store across all series (≈ 0.5 KiB each). */
      maxKeys: count(200_000),
      /** Per-client state (timing, id walks, challenge probes) kept per table. */
      maxActors: count(100_000),
    }),
    routes: section({
      /**
       * Login routes: credential stuffing, brute force, spraying; identity reads the targeted account from their
       * bodies (`identity.accountFields`). The one place login routes are configured.
       */
      login: z.array(routePattern).default(() => DEFAULT_LOGIN_ROUTES.map((r) => ({ ...r }))),
      /** Routes that reveal whether an account exists (sign-up checks, password reset). */
      enumeration: z.array(routePattern).default([
        { method: '*', path: '/api/users/:id/exists' },
        { method: 'POST', path: '/api/password-reset' },
        { method: 'POST', path: '/api/signup' },
      ]),
      /** Routes whose `:id` is an object id; other routes get ids recognised by shape (digits, UUID, long hex). */
      objects: z.array(routePattern).default([]),
      /** Login responses that count as failures, and those that say "no such account". */
      failureStatuses: z.array(z.number().int()).default([401, 403]),
      unknownAccountStatuses: z.array(z.number().int()).default([404]),
    }),
    stuffing: section({
      windowMs: ms(600_000),
      /** Per facet kind: observed login attempts, distinct accounts and failure ratio that make a finding. */
      ip: section({ minAttempts: count(8), minDistinctAccounts: count(4), minFailureRatio: ratio(0.7) }),
      subnet: section({ minAttempts: count(20), minDistinctAccounts: count(8), minFailureRatio: ratio(0.8) }),
      fingerprint: section({ minAttempts: count(20), minDistinctAccounts: count(10), minFailureRatio: ratio(0.8) }),
      /** Whole-route aggregate over a shorter window: raises the login alert (unverified clients are challenged). */
      routeWindowMs: ms(120_000),
      routeMinAttempts: count(30),
      routeMinFailureRatio: ratio(0.5),
      alertMs: ms(900_000),
      /** Brute force on one account, from anywhere. */
      accountMaxFailures: count(10),
    }),
    enumeration: section({
      windowMs: ms(600_000),
      minDistinctAccounts: count(10),
      minUnknownRatio: ratio(0.5),
      /** Password spraying: few tries on many accounts, low and slow. */
      sprayWindowMs: ms(3_600_000),
      sprayMinDistinctAccounts: count(15),
      sprayMaxAttemptsPerAccount: z.number().min(1).default(2),
      sprayMinFailureRatio: ratio(0.9),
    }),
    scraping: section({
      windowMs: ms(600_000),
      /** Distinct object ids per client; per IP it is multiplied by the principals seen on it (NAT offices). */
      maxDistinctIds: count(150),
      /** Consecutive requests whose id is within `walkStep` of the previous one. */
      walkLength: count(6),
      walkStep: count(3),
      maxPageDepth: count(50),
    }),
    scanning: section({
      windowMs: ms(300_000),
      minRequests: count(15),
      minErrorRatio: ratio(0.5),
      minDistinctUnknown: count(8),
      errorStatuses: z.array(z.number().int()).default([401, 403, 404, 405]),
      /** Paths no API serves; probing one is a finding on its own (OWASP Automated Threats OAT-014, Vulnerability Scanning). */
      sensitivePaths: z
        .array(z.string())
        .default([
          '/.env',
          '/.git',
          '/.svn',
          '/.aws',
          '/.ds_store',
          '/wp-admin',
          '/wp-login.php',
          '/xmlrpc.php',
          '/phpmyadmin',
          '/server-status',
          '/actuator',
          '/.well-known/security.txt.bak',
          '/config.json',
          '/backup',
          '/etc/passwd',
          '/cgi-bin',
          '/admin.php',
          '/vendor/phpunit',
        ]),
    }),
    flood: section({
      windowMs: ms(10_000),
      /** Requests per window per IP / principal before a finding; twice this is high severity. */
      maxPerIp: count(200),
      maxPerPrincipal: count(300),
      /** Route rate against its learned baseline (EWMA of per-window counts). */
      routeFactor: z.number().min(1).default(8),
      routeMinRequests: count(500),
      baselineAlpha: ratio(0.05),
      /** Windows of history a route needs before its rate is judged (30 × 10 s = 5 min after start). */
      baselineMinWindows: count(30),
    }),
    timing: section({
      /** Inter-arrival samples needed before judging, and the coefficient of variation below which it is machine-like. */
      minSamples: count(30),
      maxCoefficientOfVariation: z.number().min(0).default(0.08),
      /** Gaps shorter than this between a client's requests leave no think time. */
      minThinkMs: ms(40),
      minNoThinkRatio: ratio(0.9),
    }),
    risk: section({
      halfLifeMs: ms(600_000),
      /** Risk added per finding by severity; one rule adds at most `maxStack` times its weight to one facet. */
      weights: section({
        info: z.number().min(0).default(0),
        low: z.number().min(0).default(4),
        medium: z.number().min(0).default(20),
        high: z.number().min(0).default(45),
        critical: z.number().min(0).default(100),
      }),
      /**
       * Per rule id overrides of the severity weight, e.g. `{ "behaviour.timing-regular": 0 }`. An inspection
       * limit (src/detection: body too deep, time budget crossed) says more about the gateway's load than about
       * the client, so it weighs like a `low` finding unless the operator decides otherwise.
       */
      ruleWeights: z.record(z.string(), z.number().min(0)).default({ 'inspection.limit': 4 }),
      maxStack: z.number().min(1).default(3),
      /**
       * Rules that describe what a client *is* rather than what it *does* (identity's UA/stack mismatch, an
       * automation library, an unverified bot claim): the same evidence arrives on every request, so it counts
       * once instead of stacking a real user with an odd browser up to tarpit.
       */
      stackOnce: z
        .array(z.string())
        .default(['client.inconsistent', 'client.automation', 'bot.unverified', 'inspection.limit']),
      /** Share of a linked facet's risk an actor inherits (an IP seen with a blocked fingerprint). */
      linkFlow: ratio(0.5),
      /**
       * Shared facets (fingerprints, subnets, accounts) common among low-risk traffic add at most this: below the
       * challenge threshold, so an attack hiding in a popular browser's stack never challenges all its users;
       * the login alert (route-alerts.ts) handles it on the login route only.
       */
      sharedCap: z.number().min(0).default(35),
      /**
       * Content findings (`Finding.content`) of medium severity or lower add at most this to one facet, all rules
       * together: below the challenge threshold, so quoted code, markup and prose that reads like SQL never
       * challenge a user on their own, however often they post it. With other evidence (a high finding, a
       * behaviour detector) they still count. A rule weighed above a medium in `ruleWeights` is not capped.
       * Unset: three quarters of `policy.challenge` (30 at the default 40). Set, it must be below it.
       */
      weakCap: z.number().min(0).optional(),
      maxFacets: count(200_000),
    }),
    policy: section({
      watch: z.number().min(0).default(15),
      challenge: z.number().min(0).default(40),
      tarpit: z.number().min(0).default(65),
      block: z.number().min(0).default(80),
      /** A finding of this severity blocks on its own. */
      blockSeverity: severity.default('critical'),
      /** Block TTL: base, multiplied per repeat offence within `offenceMemoryMs`, capped. */
      blockTtlMs: ms(600_000),
      ttlFactor: z.number().min(1).default(4),
      maxTtlMs: ms(86_400_000),
      offenceMemoryMs: ms(86_400_000),
    }),
    campaign: section({
      windowMs: ms(3_600_000),
      /** Distinct blocked IPs sharing a fingerprint / subnet before the fingerprint / subnet is blocked. */
      fingerprintMinBlockedIps: count(5),
      subnetMinBlockedIps: count(4),
      /** Collateral guard: a facet is "common" when this many low-risk IPs use it and they make this share. */
      collateralMinLowRiskIps: count(5),
      collateralMinLowRiskShare: ratio(0.2),
      /** …or when low-risk IPs made this many requests with it between them (a steady partner behind one IP). */
      collateralMinLowRiskRequests: count(30),
      /** A low-risk IP counts once it has made this many requests with the facet. */
      lowRiskMinRequests: count(3),
      /** IPs remembered per fingerprint or subnet for the guard. */
      ipsPerFacet: count(512),
    }),
    challenge: section({
      /** Secrets derive from a master key in the data dir and rotate every epoch; the previous epoch stays valid. */
      rotationMs: ms(3_600_000),
      tokenTtlMs: ms(900_000),
      cookieName: z.string().default('__pc_pass'),
      powCookieName: z.string().default('__pc_pow'),
      retryAfterSeconds: z.number().int().min(1).default(3),
      /** An honoured Retry-After / passed challenge removes this share of the client's risk. */
      passRelief: ratio(0.6),
      powEnabled: z.boolean().default(true),
      /** Browsers at or above this risk get the proof of work instead of the cookie round-trip. */
      powFromRisk: z.number().min(0).default(52),
      powMinDifficulty: z.number().int().min(1).max(32).default(12),
      powMaxDifficulty: z.number().int().min(1).max(32).default(20),
      /** Challenges issued to one client without an answer before "does not keep cookies" becomes a finding. */
      maxUnanswered: count(2),
    }),
    tarpit: section({
      minDelayMs: ms(500),
      maxDelayMs: ms(10_000),
      /** Global caps: past any of them a tarpit verdict becomes a block, so tarpitting never exhausts the gateway. */
      maxHeld: count(256),
      maxHeldPerIp: count(4),
      maxHeldBytes: count(16 * 1024 * 1024),
    }),
  })
  .strict();

export type BehaviourConfig = z.infer<typeof behaviourConfigSchema>;
export type RoutePattern = z.infer<typeof routePattern>;
