import type { RequestContext } from './context.ts';

/**
 * The request path, in order. Each stage is its own module under `stages/`; `pipeline.ts` runs them top to bottom.
 * (Coraza's phases and fastify's lifecycle are the model: a fixed, named order a newcomer can read in one file.)
 */
export const STAGE_NAMES = [
  'accept',
  'identify',
  'gate',
  'inspect',
  'profile',
  'score',
  'act',
  'forward',
  'observe',
  'record',
] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/**
 * A stage reads and writes the request context. It returns nothing: its outcome is what it puts on the context
 * (facets, findings, a verdict). Synchronous stages return `undefined` so the common path allocates no promise.
 */
export interface Stage {
  readonly name: StageName;
  run(ctx: RequestContext): void | Promise<void>;
}
