import type { Config } from '../config/full-schema.ts';
import type { AdminRoute } from './route.ts';
import type { AdminRouter } from './router.ts';

/** Routes about the gateway itself: what routes exist, and how it is running. */
export function coreRoutes(router: AdminRouter, config: Config, stageNames: () => readonly string[]): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/routes',
      summary: 'Every admin API route with its one-line summary.',
      handler: () => ({
        status: 200,
        json: { routes: router.routes.map((r) => ({ method: r.method, path: r.path, summary: r.summary })) },
      }),
    },
    {
      method: 'GET',
      path: '/api/v1/status',
      summary: 'Mode, listeners, upstream, uptime and the stages of the pipeline.',
      handler: () => ({
        status: 200,
        json: {
          mode: config.mode,
          listen: config.listen,
          https: config.https?.listen ?? null,
          upstream: config.upstream.url,
          store: config.store.kind,
          disabled: config.disable,
          uptimeSeconds: Math.round(process.uptime()),
          stages: stageNames(),
        },
      }),
    },
  ];
}
