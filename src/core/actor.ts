import type { Facet } from './facet.ts';

/**
 * Facets seen together on requests are linked into actors (src/identity/). Scoring and gating read links
 * through this interface so risk and blocks follow an actor across IP changes.
 */
export interface ActorLinks {
  /** Record that these facets arrived on one request. */
  observe(facets: readonly Facet[], now: number): void;
  /** Facets linked to this one (excluding itself), strongest first, bounded in number. */
  linked(facet: Facet, now: number): readonly Facet[];
}
