import type { RequestContext } from '../context.ts';
import type { Stage } from '../stage.ts';
import type { Behaviour } from './behaviour-port.ts';

/** score: this request's findings become decaying risk on the actor's facets. */
export function createScoreStage(behaviour: Behaviour): Stage {
  return {
    name: 'score',
    run(ctx: RequestContext) {
      if (!ctx.exempt) behaviour.score(ctx);
    },
  };
}
