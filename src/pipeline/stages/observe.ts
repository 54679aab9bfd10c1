import type { RequestContext } from '../context.ts';
import type { Stage } from '../stage.ts';
import type { Behaviour } from './behaviour-port.ts';

/** observe: the upstream's status and timing feed the windows (401s on login, 404 storms, 429 disregard). */
export function createObserveStage(behaviour: Behaviour): Stage {
  return {
    name: 'observe',
    run(ctx: RequestContext) {
      if (!ctx.exempt && ctx.upstream !== undefined) behaviour.observe(ctx);
    },
  };
}
