import type { Action } from '../core/verdict.ts';
import type { BehaviourConfig } from './config.ts';

/**
 * Risk → action, the graded response (docs/bot-defence.md): below `watch` nothing happens, then watch (recorded
 * only), challenge (a question real clients answer for free), tarpit (slow down), block (a stored decision with a
 * TTL). Thresholds are ordered; a misordered config is rejected at load by `checkPolicy`.
 */
export type Policy = BehaviourConfig['policy'];

export function actionFor(risk: number, p: Policy): Action {
  if (risk >= p.block) return 'block';
  if (risk >= p.tarpit) return 'tarpit';
  if (risk >= p.challenge) return 'challenge';
  if (risk >= p.watch) return 'watch';
  return 'allow';
}

/** Problems with the thresholds, as `key: what to do` lines (empty when fine). */
export function checkPolicy(p: Policy): string[] {
  const order: [keyof Policy, number][] = [
    ['watch', p.watch],
    ['challenge', p.challenge],
    ['tarpit', p.tarpit],
    ['block', p.block],
  ];
  const issues: string[] = [];
  for (let i = 1; i < order.length; i++) {
    const [name, value] = order[i]!;
    const [prev, prevValue] = order[i - 1]!;
    if (value < prevValue)
      issues.push(`behaviour.policy.${name}: must be ≥ policy.${prev} (${prevValue}), got ${value}`);
  }
  return issues;
}

/** The weak-evidence cap in force: the configured one, or three quarters of the challenge line. */
export function weakCapOf(weakCap: number | undefined, p: Policy): number {
  return weakCap ?? p.challenge * 0.75;
}

/**
 * `risk.weakCap` exists so weak evidence never challenges on its own (risk.ts); set at or above the challenge line
 * it would silently stop doing that.
 */
export function checkWeakCap(weakCap: number | undefined, p: Policy): string[] {
  return weakCap === undefined || weakCap < p.challenge
    ? []
    : [
        `behaviour.risk.weakCap: must be below policy.challenge (${p.challenge}), got ${weakCap}; to let some rule's ` +
          'findings challenge on their own, weigh that rule above a medium in behaviour.risk.ruleWeights instead',
      ];
}

/**
 * Block TTL for the n-th offence (0-based) within the offence memory: base × factor^n, capped. With the defaults
 * a first block lasts 10 min, then 40 min, 2 h 40 min, then the 24 h cap: a returning offender is kept out longer
 * each time, while a one-off mistake (a person who fat-fingered a password ten times) expires quickly.
 */
export function blockTtlMs(offences: number, p: Policy): number {
  return Math.min(p.maxTtlMs, Math.round(p.blockTtlMs * p.ttlFactor ** Math.max(0, offences)));
}

/** PoW difficulty grows linearly with risk across the challenge band. */
export function powDifficulty(risk: number, p: Policy, c: BehaviourConfig['challenge']): number {
  const span = Math.max(1, p.block - p.challenge);
  const share = Math.min(1, Math.max(0, (risk - p.challenge) / span));
  return Math.round(c.powMinDifficulty + share * (c.powMaxDifficulty - c.powMinDifficulty));
}
