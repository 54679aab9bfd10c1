import type { Decision, DecisionKind, GateMatch } from '../core/decision.ts';
import type { Facet } from '../core/facet.ts';
import { type DecisionCore, describe } from './core.ts';
import { coveringValues } from './filter.ts';
import { ACTION_RANK } from './profiles.ts';

export interface ExplainedDecision {
  readonly decision: Decision;
  /** One sentence: what, on what, why, by whom, until when. */
  readonly explanation: string;
  readonly wins: boolean;
}

export interface Explanation {
  readonly ip: string;
  readonly facets: readonly Facet[];
  /** What the gate answers for this client right now (undefined: no decision applies, the request goes on). */
  readonly verdict: GateMatch | undefined;
  /** Every active decision that applies, strongest first; the winner is marked. */
  readonly decisions: readonly ExplainedDecision[];
  readonly summary: string;
}

const OTHER_KINDS: readonly DecisionKind[] = ['tls', 'http', 'principal', 'account'];

/**
 * Every decision that would apply to a client and the one that wins, with evidence. Candidates come from the
 * store (exact IP, each covering CIDR, and any other facets given); the verdict comes from the live gate, so an
 * operator sees exactly what a request would meet. Order = the gate's rule: action rank (allow > block >
 * challenge > tarpit), then specificity (exact, then longer prefix), then newest.
 */
export function explain(core: DecisionCore, ip: string, extra: readonly Facet[]): Explanation | undefined {
  const cover = coveringValues(ip);
  if (cover === undefined) return undefined;
  const now = core.clock.now();
  const facets: Facet[] = [`ip:${cover.ip}`, ...extra.filter((f) => !f.startsWith('ip:'))];
  const found: Decision[] = core.store.search({ contains: cover.ip }, now, undefined, 10_000);
  for (const f of facets) {
    const colon = f.indexOf(':');
    const kind = f.slice(0, colon) as DecisionKind;
    if (OTHER_KINDS.includes(kind)) found.push(...core.store.onTarget(kind, f.slice(colon + 1), now));
  }
  found.sort((a, b) => ACTION_RANK[b.action] - ACTION_RANK[a.action] || specificity(b) - specificity(a) || newer(a, b));
  const verdict = core.gate.lookup(facets);
  const decisions = found.map((d) => ({ decision: d, explanation: describe(d), wins: d.id === verdict?.decisionId }));
  const winner = decisions.find((d) => d.wins);
  const summary =
    winner === undefined
      ? found.length === 0
        ? `no decision applies to ${cover.ip}; its requests go on to inspection`
        : `${found.length} decision(s) are stored for ${cover.ip} but none is live in the gate (expiring now)`
      : `${winner.decision.action} wins for ${cover.ip} by ${verdict!.matched} out of ${found.length} applicable decision(s): ${winner.explanation}`;
  return { ip: cover.ip, facets, verdict, decisions, summary };
}

function specificity(d: Decision): number {
  if (d.kind === 'cidr') return Number(d.value.slice(d.value.indexOf('/') + 1));
  return d.kind === 'ip' ? 200 : -1;
}

function newer(a: Decision, b: Decision): number {
  return b.createdAt - a.createdAt;
}
