import type { Finding } from '../../core/finding.ts';
import type { RequestContext } from '../context.ts';
import type { Stage } from '../stage.ts';
import type { Behaviour } from './behaviour-port.ts';

function firstCritical(findings: readonly Finding[]): Finding | undefined {
  for (const f of findings) if (f.severity === 'critical' && f.monitorOnly !== true) return f;
  return undefined;
}

/**
 * act: the policy turns risk and findings into an action. Without the behaviour area the policy is the
 * minimal one every deployment needs: a critical finding (an unambiguous attack) blocks on its own.
 * With it, the behaviour policy decides (it applies the same critical rule plus risk thresholds).
 */
export function createActStage(behaviour?: Behaviour): Stage {
  return {
    name: 'act',
    run(ctx: RequestContext) {
      if (ctx.exempt || ctx.verdict.action !== 'allow') return;
      if (behaviour !== undefined) return behaviour.act(ctx);
      const critical = firstCritical(ctx.findings);
      if (critical !== undefined) {
        ctx.verdict = { action: 'block', reason: critical.explanation, ruleId: critical.ruleId };
      } else if (ctx.findings.some((f) => f.monitorOnly !== true && f.severity !== 'info')) {
        ctx.verdict = { action: 'watch', reason: 'findings below the blocking severity' };
      }
    },
  };
}
