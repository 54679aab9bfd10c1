import type { Facet } from './facet.ts';

/**
 * A decision is a stored action on a facet or an address range, with TTL, reason, source and evidence.
 * This file holds the shapes other areas code against; `src/decisions/` implements storage, gate and API.
 */
export const DECISION_KINDS = ['ip', 'cidr', 'tls', 'http', 'principal', 'account'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const DECISION_ACTIONS = ['block', 'allow', 'challenge', 'tarpit'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** `manual`, `import:<name>`, `detector:<id>` or `cluster` (arrived from another node). */
export type DecisionSource = 'manual' | 'cluster' | `import:${string}` | `detector:${string}`;

export interface DecisionEvidence {
  readonly findingIds?: readonly string[];
  readonly incidentIds?: readonly string[];
  readonly note?: string;
}

export interface Decision {
  readonly id: string;
  readonly kind: DecisionKind;
  /** Normalised: IPs canonical (v4-mapped v6 → v4), CIDRs with host bits cleared, fingerprints as given. */
  readonly value: string;
  readonly action: DecisionAction;
  /** Epoch ms; absent = until removed. */
  readonly expiresAt?: number;
  readonly reason: string;
  readonly source: DecisionSource;
  readonly evidence?: DecisionEvidence;
  readonly createdBy: string;
  readonly createdAt: number;
}

export interface NewDecision {
  readonly kind: DecisionKind;
  readonly value: string;
  readonly action: DecisionAction;
  readonly ttlMs?: number;
  readonly reason: string;
  readonly source: DecisionSource;
  readonly evidence?: DecisionEvidence;
}

/** What the gate stage asks: the one decision that applies to this client, allow beating block. */
export interface GateMatch {
  readonly decisionId: string;
  readonly action: DecisionAction;
  readonly reason: string;
  /** The facet or CIDR that matched, e.g. `ip:203.0.113.7` or `cidr:203.0.113.0/24`. */
  readonly matched: string;
  readonly expiresAt?: number;
}

export interface DecisionGate {
  /** O(1) in the number of decisions. `facets` includes `ip:` for the client; CIDRs are matched from it. */
  lookup(facets: readonly Facet[]): GateMatch | undefined;
}

/** How detectors (behaviour, campaign escalation) write decisions; durable before the promise resolves. */
export interface DecisionWriter {
  add(decision: NewDecision, by: string): Promise<Decision>;
  /** Active decisions on exactly this target, newest first (for escalating TTLs of repeat offenders). */
  history(kind: DecisionKind, value: string): readonly Decision[];
}
