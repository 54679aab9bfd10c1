import type { Facet } from '../core/facet.ts';
import type { Finding, Severity } from '../core/finding.ts';
import type { BehaviourConfig } from './config.ts';
import type { CounterStore } from './counter-store.ts';
import type { RequestView } from './request-view.ts';
import type { RouteAlerts } from './route-alerts.ts';

/**
 * A behaviour detector: one file, one family, its own tunables in BehaviourConfig. `profile` runs before the
 * request is forwarded (update windows, judge what is known so far); `observe` runs after the upstream answered
 * (statuses and latency feed the windows; findings from it land on the actor's risk for its next request).
 * Detectors return findings by pushing onto `out`; they never respond, throw on input, or wait.
 */
export interface Detector {
  /** Dotted id prefix of its findings, e.g. `behaviour.stuffing`. */
  readonly id: string;
  /** Name usable with `--disable`. */
  readonly family: string;
  profile?(view: RequestView, out: Finding[]): void;
  observe?(view: RequestView, result: Observed, out: Finding[]): void;
}

export interface Observed {
  readonly status: number;
  readonly latencyMs: number;
}

export interface DetectorDeps {
  readonly config: BehaviourConfig;
  readonly store: CounterStore;
  readonly alerts: RouteAlerts;
}

export interface DetectorEntry {
  readonly name: string;
  readonly family: string;
  readonly create: (deps: DetectorDeps) => Detector;
}

export function behaviourFinding(
  ruleId: string,
  category: string,
  severity: Severity,
  explanation: string,
  facets: readonly Facet[],
  location?: string,
): Finding {
  return location === undefined
    ? { ruleId, category, severity, explanation, facets }
    : { ruleId, category, severity, explanation, facets, location };
}

export const pct = (r: number): string => `${Math.round(r * 100)} %`;
