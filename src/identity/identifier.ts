import type { ActorLinks } from '../core/actor.ts';
import type { Clock } from '../core/clock.ts';
import { type Facet, facet } from '../core/facet.ts';
import { readBody as pipelineReadBody } from '../pipeline/body.ts';
import type { RequestContext } from '../pipeline/context.ts';
import { compileRoutes, DEFAULT_LOGIN_ROUTES, type RoutePattern } from '../core/route-pattern.ts';
import { accountFromBody, accountReader } from './account.ts';
import { inconsistencies } from './client-consistency.ts';
import type { IdentityConfig } from './config.ts';
import { type FacetSource, facetFor } from './facet-for.ts';
import { clientFindings } from './findings.ts';
import { GoodBotVerifier } from './good-bots.ts';
import { httpFingerprint } from './http-fingerprint.ts';
import { JwtVerifier } from './jwt.ts';
import { createPrincipalExtractor } from './principal.ts';
import { createFacetHasher, loadSalt } from './salt.ts';
import { claimedClient } from './user-agent.ts';

/**
 * The identify stage's identity half (the stage itself adds `ip:` and `subnet:`, and `tls:`/`ja3:` from the
 * connection). Per request, synchronously: HTTP fingerprint, principal, claimed-vs-real client, good-bot status.
 * Only login routes go async (their body names the account). Last, the request's facets are linked in the actor
 * graph. Raw secrets never leave this function: facets carry HMACs (salt.ts).
 */
export interface Identifier {
  identify(ctx: RequestContext): void | Promise<void>;
  /** The facet a username, API key, session, bearer token or JWT subject maps to (for blocking it by name). */
  facetFor(source: FacetSource, value: string, issuer?: string): Facet;
}

export interface IdentifierDeps {
  readonly dataDir: string;
  readonly clock: Clock;
  readonly links: ActorLinks;
  /** The login routes (`behaviour.routes.login`): their bodies name the targeted account. Defaults to its default. */
  readonly loginRoutes?: readonly RoutePattern[];
  /** Defaults to the pipeline's `readBody` (src/pipeline/body.ts), which keeps what it read for later stages. */
  readonly readBody?: (ctx: RequestContext, limit: number) => Promise<Buffer | undefined>;
  /** Injected in tests; built from `config.goodBots` otherwise. */
  readonly goodBots?: GoodBotVerifier;
}

export function createIdentifier(config: IdentityConfig, deps: IdentifierDeps): Identifier {
  const hash = createFacetHasher(loadSalt(deps.dataDir, config.hashSalt));
  const principals = createPrincipalExtractor(config, hash, new JwtVerifier(config.jwt));
  const isLogin = compileRoutes(deps.loginRoutes ?? DEFAULT_LOGIN_ROUTES);
  const accounts = accountReader(config);
  const bots = config.goodBots.enabled
    ? (deps.goodBots ?? new GoodBotVerifier(config.goodBots, deps.clock))
    : undefined;
  const readBody = deps.readBody ?? pipelineReadBody;
  const { clock, links } = deps;

  const finish = (ctx: RequestContext) => links.observe(ctx.facets, clock.now());

  return {
    facetFor: (source, value, issuer) => facetFor(hash, source, value, issuer),
    identify(ctx) {
      const req = ctx.req;
      const headers = req.headers;
      if (ctx.conn.tls !== undefined && !ctx.facets.includes(`tls:${ctx.conn.tls.ja4}`)) {
        ctx.facets.push(facet('tls', ctx.conn.tls.ja4), facet('ja3', ctx.conn.tls.ja3));
      }
      const http = httpFingerprint(req.rawHeaders, req.httpVersion);
      ctx.facets.push(facet('http', http));

      const principal = principals.extract(headers, ctx.receivedAt);
      if (principal !== undefined) {
        ctx.facets.push(principal.facet);
        ctx.notes.principalSource = principal.source;
        if (principal.verified !== undefined) ctx.notes.principalVerified = principal.verified;
      }

      const ua = headers['user-agent'];
      const claim = claimedClient(ua);
      ctx.notes.client = claim.version === undefined ? claim.family : `${claim.family}/${claim.version}`;
      const bot = bots?.claimed(ua);
      const botStatus = bot === undefined ? undefined : bots!.status(bot, ctx.clientIp);
      if (bot !== undefined && botStatus === 'verified') ctx.facets.push(facet('bot', bot.name));
      if (botStatus !== undefined) ctx.notes.botVerification = botStatus;
      const mismatches = inconsistencies(claim, {
        headers,
        caseMark: http[2]!,
        httpVersion: req.httpVersion,
        secure: ctx.conn.secure,
        ...(ctx.conn.tls === undefined ? {} : { tls: ctx.conn.tls }),
      });
      ctx.findings.push(...clientFindings(claim, ua, mismatches, bot?.name, botStatus));

      if (ctx.body.kind === 'none' || isLogin(ctx.method, ctx.path) === undefined) return finish(ctx);
      return readBody(ctx, config.loginBodyBytes).then(
        (body) => {
          const name = body === undefined ? undefined : accountFromBody(accounts, headers['content-type'], body);
          if (name !== undefined) ctx.facets.push(facet('account', hash('account', name)));
          finish(ctx);
        },
        () => finish(ctx), // The client went away mid-body; forward and record see the abort.
      );
    },
  };
}
