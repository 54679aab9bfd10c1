import type { AdminRoute } from '../admin/route.ts';
import { parseFacet } from '../core/facet.ts';
import type { BehaviourEngine } from './engine.ts';

/**
 * Admin API of the behaviour area (mounted under the admin token like every /api/v1 route):
 *   GET /api/v1/risk/:facet   a facet's risk as a list of contributions, plus what it inherits from linked facets
 *   GET /api/v1/behaviour     detector families, active route alerts, tarpit occupancy, counter store health
 */
export function behaviourRoutes(engine: BehaviourEngine): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/risk/:facet',
      summary: 'Explain the current risk of one facet (e.g. ip:203.0.113.7) as its contributions.',
      handler(req) {
        const raw = req.params.facet ?? '';
        const parsed = parseFacet(raw);
        if (parsed === undefined) {
          return {
            status: 400,
            json: {
              code: 'PC_ERR_ADMIN_BAD_REQUEST',
              message: `"${raw}" is not a facet; write kind:value, e.g. ip:203.0.113.7 or http:h1…`,
            },
          };
        }
        return { status: 200, json: engine.explain(`${parsed.kind}:${parsed.value}`) };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/behaviour',
      summary: 'Behaviour engine state: detector families, route alerts, tarpit occupancy, counter store health.',
      handler() {
        return { status: 200, json: engine.stats() };
      },
    },
  ];
}
