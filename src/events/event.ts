import type { Facet } from '../core/facet.ts';
import type { Finding } from '../core/finding.ts';
import type { Action } from '../core/verdict.ts';

/**
 * Events are immutable records of something that happened. Every part of Portcullis publishes them on the
 * event bus (a side channel: the pipeline never waits on a subscriber); the event log, metrics and the dashboard
 * subscribe.
 */
export type PortcullisEvent = RequestEvent | DecisionEvent | SystemEvent;

interface EventBase {
  /** Unique per event; for request events this is the request's incident id. */
  readonly id: string;
  readonly time: number;
}

/** A request that ended in anything but a plain allow with no finding (those only go to the access log). */
export interface RequestEvent extends EventBase {
  readonly type: 'request';
  readonly incidentId: string;
  readonly clientIp: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly action: Action;
  /** true when the action was applied; false in monitor mode (it is what enforce mode would have done). */
  readonly enforced: boolean;
  readonly reason: string;
  readonly facets: readonly Facet[];
  readonly findings: readonly Finding[];
  readonly risk?: number;
  readonly decisionId?: string;
}

/**
 * A decision was created, changed or removed (by an operator, an import, a detector, or the cluster).
 * `refreshed`: the same (target, action) was added again; the decision keeps its id and the event carries its new
 * reason and source (docs/decisions.md "Ids").
 */
export interface DecisionEvent extends EventBase {
  readonly type: 'decision';
  readonly change: 'created' | 'refreshed' | 'removed' | 'expired' | 'updated';
  readonly decisionId: string;
  readonly target: string;
  readonly decisionAction: string;
  readonly source: string;
  readonly reason: string;
  readonly by: string;
}

/** Something about the gateway itself an operator should see (store down, upstream unreachable, reload). */
export interface SystemEvent extends EventBase {
  readonly type: 'system';
  readonly level: 'info' | 'warn' | 'error';
  readonly code?: string;
  readonly message: string;
}
