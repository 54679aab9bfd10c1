import { facet } from '../../core/facet.ts';
import { subnetOf } from '../../core/ip.ts';
import type { TrustedProxies } from '../../server/trusted-proxies.ts';
import type { RequestContext } from '../context.ts';
import type { Stage } from '../stage.ts';

/** The identity area's extractor: fingerprints, principal, account, verified bots (src/identity/). */
export interface Identifier {
  identify(ctx: RequestContext): void | Promise<void>;
}

/**
 * identify: who is calling. The client address comes first (socket peer, or X-Forwarded-For only from a
 * trusted proxy), then its subnet, then whatever the identity area derives. Facets are `kind:value` strings so
 * every later stage treats them alike.
 */
export function createIdentifyStage(trusted: TrustedProxies, identifier?: Identifier): Stage {
  return {
    name: 'identify',
    run(ctx: RequestContext) {
      const peer = ctx.conn.remoteAddress;
      const ip = trusted.empty ? peer : trusted.clientIp(peer, ctx.req.headers['x-forwarded-for']);
      ctx.clientIp = ip;
      ctx.facets.push(facet('ip', ip), facet('subnet', subnetOf(ip)));
      // JA4 is the TLS facet. JA3 stays a note: Chrome permutes its extensions (since v110), so its JA3 differs on
      // every connection and as a facet would only churn the windows and the actor graph.
      if (ctx.conn.tls !== undefined) {
        ctx.facets.push(facet('tls', ctx.conn.tls.ja4));
        ctx.notes.ja3 = ctx.conn.tls.ja3;
      }
      return identifier?.identify(ctx);
    },
  };
}

/** Drops findings of disabled identity families (`client`, `bot`) after the identifier ran. */
export function withoutFamilies(identifier: Identifier, families: readonly string[]): Identifier {
  if (families.length === 0) return identifier;
  const off = new Set(families);
  const prune = (ctx: RequestContext) => {
    ctx.findings = ctx.findings.filter((f) => !off.has(f.category));
  };
  return {
    identify(ctx) {
      const pending = identifier.identify(ctx);
      if (pending === undefined) return prune(ctx);
      return pending.then(() => prune(ctx));
    },
  };
}
