import type { RequestContext } from '../context.ts';
import type { Stage } from '../stage.ts';
import type { Behaviour } from './behaviour-port.ts';

/** profile: sliding windows per facet and route, and the behaviour detectors that read them. */
export function createProfileStage(behaviour: Behaviour): Stage {
  return {
    name: 'profile',
    run(ctx: RequestContext) {
      if (!ctx.exempt) behaviour.profile(ctx);
    },
  };
}
