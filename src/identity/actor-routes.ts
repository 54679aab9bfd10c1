import { adminProblem } from '../admin/problem.ts';
import type { AdminRoute } from '../admin/route.ts';
import type { Clock } from '../core/clock.ts';
import { parseFacet } from '../core/facet.ts';
import type { ActorGraph } from './actor-graph.ts';

/**
 * GET /api/v1/actors/:facet — one facet's actor: when it was first and last seen, how many requests carried it,
 * the facets linked to it (strongest first, with decayed weights) and its recent findings. The facet is
 * URL-encoded in the path (`ip%3A203.0.113.7`); principals and accounts are already salted hashes.
 */
export function actorRoutes(graph: ActorGraph, clock: Clock): AdminRoute[] {
  return [
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
  ];
}
