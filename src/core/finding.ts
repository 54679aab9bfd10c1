import type { Facet } from './facet.ts';

/** Ordered from least to most severe; a `critical` finding blocks on its own in enforce mode. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/**
 * One detector's verdict on one request or one window, with the evidence that explains it.
 * Findings are values: detectors return them, they never throw or respond to the client.
 */
export interface Finding {
  /** Dotted lowercase id, e.g. `sqli.union-based`, `behaviour.credential-stuffing`. */
  readonly ruleId: string;
  /** Broad category used for reporting and `--disable`, e.g. `sqli`, `xss`, `scanner`, `stuffing`. */
  readonly category: string;
  readonly severity: Severity;
  /** Where in the request it matched: `query.q`, `body.user.name`, `header.user-agent`, `path`. */
  readonly location?: string;
  /** The matched fragment, truncated and never a secret. */
  readonly fragment?: string;
  /** One human sentence saying why (shown in the API, dashboard and audit log; never sent to the client). */
  readonly explanation: string;
  /** The facets this finding is about; absent means every facet of the request. */
  readonly facets?: readonly Facet[];
  /** Rule is in monitor-only mode: recorded, never acted on. */
  readonly monitorOnly?: boolean;
  /**
   * A rule matched what the client wrote: a query, form or JSON value or name, a cookie, an upload (not the path,
   * a header or a request-level check). Such findings of medium severity or lower are weak evidence: quoted code,
   * markup, prose that reads like SQL. Together they add at most `risk.weakCap` to a facet.
   */
  readonly content?: true;
}

const FRAGMENT_MAX = 120;

/** Truncates evidence so events stay small and secrets in long values are not copied whole. */
export function truncateFragment(text: string, max = FRAGMENT_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
