import { adminProblem } from '../admin/problem.ts';
import type { AdminRoute } from '../admin/route.ts';
import type { Clock } from '../core/clock.ts';
import { parseFacet } from '../core/facet.ts';
import type { ActorGraph } from './actor-graph.ts';
import { FACET_SOURCES, type FacetSource } from './facet-for.ts';

/**
 * GET /api/v1/actors/:facet — one facet's actor: when it was first and last seen, how many requests carried it,
 * the facets linked to it (strongest first, with decayed weights) and its recent findings. The facet is
 * URL-encoded in the path (`ip%3A203.0.113.7`); principals and accounts are already salted hashes.
 */
export function actorRoutes(
  graph: ActorGraph,
  clock: Clock,
  identity?: { facetFor(source: FacetSource, value: string, issuer?: string): string },
): AdminRoute[] {
  const routes: AdminRoute[] = [
    {
      method: 'GET',
      path: '/api/v1/actors/:facet',
      summary: 'Linked facets, counters and recent findings of one facet (e.g. ip%3A203.0.113.7).',
      handler(req) {
        const text = req.params.facet ?? '';
        const parsed = parseFacet(text);
        if (parsed === undefined) {
          return adminProblem(
            400,
            'PC_ERR_ADMIN_BAD_REQUEST',
            `"${text.slice(0, 80)}" is not a facet; write kind:value, URL-encoded, e.g. ip%3A203.0.113.7`,
          );
        }
        const info = graph.info(`${parsed.kind}:${parsed.value}`, clock.now());
        if (info === undefined) {
          return adminProblem(
            404,
            'PC_ERR_ADMIN_NOT_FOUND',
            `no actor state for ${text.slice(0, 80)}: not seen recently, or evicted under identity.actors.memoryCapMb`,
          );
        }
        return { status: 200, json: info };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/actors',
      summary: "The actor graph's size: facets kept, estimated bytes (what identity.actors.memoryCapMb bounds), evictions.",
      handler: () => ({
        status: 200,
        json: { facets: graph.size, estimatedBytes: graph.bytes, evicted: graph.evicted },
      }),
    },
  ];
  if (identity !== undefined) routes.push(facetForRoute(identity));
  return routes;
}

/**
 * POST /api/v1/actors/facet-for {source, value, issuer?} → {facet}: what to block (kind and value of a decision)
 * for a username or secret the operator knows. A POST so the value stays out of URLs and access logs.
 */
function facetForRoute(identity: {
  facetFor(source: FacetSource, value: string, issuer?: string): string;
}): AdminRoute {
  return {
    method: 'POST',
    path: '/api/v1/actors/facet-for',
    summary: 'The facet (salted hash) of an account, API key, session, bearer token or JWT subject, to block it.',
    async handler(req) {
      const body = (await req.json(16_384)) as { source?: unknown; value?: unknown; issuer?: unknown } | null;
      const source = body?.source;
      if (typeof source !== 'string' || !(FACET_SOURCES as readonly string[]).includes(source)) {
        return adminProblem(400, 'PC_ERR_ADMIN_BAD_REQUEST', `source must be one of ${FACET_SOURCES.join(', ')}`);
      }
      if (typeof body?.value !== 'string' || body.value === '') {
        return adminProblem(400, 'PC_ERR_ADMIN_BAD_REQUEST', 'value must be a non-empty string');
      }
      const issuer = typeof body.issuer === 'string' ? body.issuer : undefined;
      const f = identity.facetFor(source as FacetSource, body.value, issuer);
      const colon = f.indexOf(':');
      return { status: 200, json: { facet: f, kind: f.slice(0, colon), value: f.slice(colon + 1) } };
    },
  };
}
