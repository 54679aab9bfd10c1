import type { Config } from '../config/full-schema.ts';
import type { ReloadPlan } from '../config/reload.ts';
import { isPortcullisError } from '../core/errors.ts';
import { adminProblem } from './problem.ts';
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

/** POST /api/v1/reload: what SIGHUP does, for operators who have the API but not the process. */
export function reloadRoutes(
  readConfig: (() => Config) | undefined,
  reload: (next: Config, by: string) => ReloadPlan,
): AdminRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/reload',
      summary:
        'Re-read the configuration file and apply its reloadable sections (detection); lists what needs a restart.',
      handler(req) {
        if (readConfig === undefined) {
          return adminProblem(
            409,
            'PC_ERR_ADMIN_BAD_REQUEST',
            'this gateway was started without a configuration source to re-read',
          );
        }
        let next: Config;
        try {
          next = readConfig();
        } catch (error) {
          if (!isPortcullisError(error)) throw error;
          const lines = Array.isArray(error.details) ? (error.details as string[]) : [error.message];
          return adminProblem(400, error.code, 'the new configuration is invalid; the running one is unchanged', {
            errors: lines,
          });
        }
        try {
          const plan = reload(next, req.actor);
          return { status: 200, json: { applied: plan.apply, needsRestart: plan.needsRestart } };
        } catch (error) {
          return adminProblem(
            400,
            'PC_ERR_CONFIG_INVALID',
            `the new configuration could not be applied (${(error as Error).message}); the running one is unchanged`,
          );
        }
      },
    },
  ];
}
