import { type Finding, severityRank } from '../core/finding.ts';
import type { Verdict } from '../core/verdict.ts';
import type { Challenger, Standing } from './challenge/challenger.ts';
import type { BehaviourConfig } from './config.ts';
import type { BehaviourSubject } from './engine.ts';
import { actionFor, powDifficulty } from './policy.ts';
import type { RequestView } from './request-view.ts';
import type { RouteAlerts } from './route-alerts.ts';
import type { Tarpit } from './tarpit.ts';

/**
 * The policy for one request, as a value (style rule 2): a finding at or above `policy.blockSeverity` blocks on
 * its own; otherwise the actor's risk picks the graded action. Two refinements keep real users out of harm:
 *   - a client that already passed a challenge is not challenged again for the same risk (it is watched);
 *   - while a route alert is active (a distributed attack visible only in the route's aggregate), unverified
 *     clients on that route are challenged even at low risk: one cookie round-trip for a browser, a short
 *     Retry-After for an API client, a wall for a tool that does neither.
 * Reasons stay server-side (events, audit); the client only ever sees the incident id.
 */
export interface DecideParts {
  readonly config: BehaviourConfig;
  readonly alerts: RouteAlerts;
  readonly challenger: Challenger | undefined;
  readonly pit: Tarpit;
  readonly blockRank: number;
}

function firstBlocking(findings: readonly Finding[], rank: number): Finding | undefined {
  for (const f of findings) if (f.monitorOnly !== true && severityRank(f.severity) >= rank) return f;
  return undefined;
}

export function decide(
  ctx: BehaviourSubject,
  view: RequestView,
  standing: Standing,
  parts: DecideParts,
): Verdict | undefined {
  const { config, alerts, challenger, pit } = parts;
  const p = config.policy;
  const blocking = firstBlocking(ctx.findings, parts.blockRank);
  if (blocking !== undefined) return { action: 'block', reason: blocking.explanation, ruleId: blocking.ruleId };
  const risk = ctx.risk ?? 0;
  const facet = typeof ctx.notes.riskFacet === 'string' ? ctx.notes.riskFacet : 'actor';
  const reason = `risk ${risk} on ${facet}`;
  const challenge = (why: string): Verdict => {
    const wantsPow = risk >= config.challenge.powFromRisk;
    const kind = challenger!.choose(view, standing, wantsPow);
    return kind === 'pow'
      ? { action: 'challenge', kind, reason: why, difficulty: powDifficulty(risk, p, config.challenge) }
      : { action: 'challenge', kind, reason: why };
  };
  switch (actionFor(risk, p)) {
    case 'block':
      return { action: 'block', reason };
    case 'tarpit':
      return { action: 'tarpit', delayMs: pit.delayFor(risk, p.tarpit, p.block), reason };
    case 'challenge':
      if (challenger === undefined || standing.verified) return { action: 'watch', reason };
      return challenge(reason);
    default:
      break;
  }
  if (challenger !== undefined && !standing.verified && alerts.active(view.route, view.now)) {
    return challenge(`route alert on ${view.route}`);
  }
  return risk >= p.watch ? { action: 'watch', reason } : undefined;
}
