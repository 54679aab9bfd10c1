import type { Verdict } from '../../core/verdict.ts';
import type { RequestContext } from '../context.ts';

/**
 * What the pipeline needs from the behaviour area (src/behaviour/): windows and detectors (profile), risk
 * (score), policy (act), feedback from the upstream's answer (observe), and the responders for the actions it
 * owns (challenge pages, tarpit delays).
 */
export interface Behaviour {
  profile(ctx: RequestContext): void;
  score(ctx: RequestContext): void;
  act(ctx: RequestContext): void;
  observe(ctx: RequestContext): void;
  /** Writes the response for a challenge verdict; false when it cannot (the pipeline then blocks). */
  respond(ctx: RequestContext, verdict: Verdict): boolean;
  /** Holds the request under the global tarpit caps; resolves when it should continue. */
  tarpit(ctx: RequestContext, verdict: Verdict & { action: 'tarpit' }): Promise<void>;
}
