import type { DecisionGate } from '../../core/decision.ts';
import type { RequestContext } from '../context.ts';
import type { Stage } from '../stage.ts';

/**
 * gate: every facet of the request looked up in the decision set, O(1) in its size. Blocked requests end here,
 * before the body is read: a blocked request is the cheapest one we serve. An allow decision exempts the client
 * from inspection and behaviour (allow beats block; exemptions are always explicit).
 */
export function createGateStage(gate: DecisionGate, tarpitDelayMs: number): Stage {
  return {
    name: 'gate',
    run(ctx: RequestContext) {
      const match = gate.lookup(ctx.facets);
      if (match === undefined) return;
      ctx.notes.gateMatched = match.matched;
      const reason = `decision ${match.decisionId} on ${match.matched}: ${match.reason}`;
      switch (match.action) {
        case 'allow':
          ctx.exempt = true;
          ctx.verdict = { action: 'allow', reason, decisionId: match.decisionId };
          return;
        case 'block':
          ctx.verdict = { action: 'block', reason, decisionId: match.decisionId };
          return;
        case 'challenge':
          ctx.verdict = { action: 'challenge', kind: 'cookie', reason };
          return;
        case 'tarpit':
          ctx.verdict = { action: 'tarpit', delayMs: tarpitDelayMs, reason, decisionId: match.decisionId };
          return;
      }
    },
  };
}
