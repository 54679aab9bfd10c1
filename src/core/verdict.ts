/**
 * What the pipeline decides to do with a request. A verdict is a value carried on the request context;
 * once a terminal one exists (and the gateway enforces), the remaining stages are skipped and `record` runs.
 */
export const ACTIONS = ['allow', 'watch', 'challenge', 'tarpit', 'block'] as const;
export type Action = (typeof ACTIONS)[number];

export type ChallengeKind = 'cookie' | 'retry-after' | 'pow';

export type Verdict =
  | { readonly action: 'allow'; readonly reason: string; readonly decisionId?: string }
  | { readonly action: 'watch'; readonly reason: string }
  | {
      readonly action: 'challenge';
      readonly kind: ChallengeKind;
      readonly reason: string;
      readonly difficulty?: number;
    }
  | { readonly action: 'tarpit'; readonly delayMs: number; readonly reason: string; readonly decisionId?: string }
  | {
      readonly action: 'block';
      readonly reason: string;
      readonly decisionId?: string;
      readonly ruleId?: string;
      /**
       * 403 by default. A set status (413, 431, 400) marks a protocol limit: those are enforced in monitor mode
       * too, since forwarding such a request would fail or endanger the upstream anyway.
       */
      readonly status?: number;
    };

export const DEFAULT_VERDICT: Verdict = Object.freeze({ action: 'allow', reason: 'no finding' });

/** Terminal verdicts produce the response themselves instead of forwarding upstream. */
export function isTerminal(v: Verdict): boolean {
  return v.action === 'block' || v.action === 'challenge';
}

export function actionRank(a: Action): number {
  return ACTIONS.indexOf(a);
}
