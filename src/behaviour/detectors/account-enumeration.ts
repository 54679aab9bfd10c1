import type { Facet } from '../../core/facet.ts';
import type { DistinctSpec, SeriesSpec } from '../counter-store.ts';
import { behaviourFinding, type Detector, type DetectorDeps, pct } from '../detector.ts';
import type { RequestView } from '../request-view.ts';

/**
 * Account enumeration (OWASP OAT-004 Fingerprinting / username probing, CWE-204 Observable Response Discrepancy):
 * a client asks about many accounts and a large share of the answers say "no such account" (404 by default,
 * `routes.unknownAccountStatuses`). Real users ask about their own account, so few distinct accounts per client.
 * Password spraying (MITRE ATT&CK T1110.003) is the slow sibling: one or two tries on each of many accounts over
 * an hour, nearly all failing; it hides under per-minute thresholds, so it gets its own long window.
 */
export function createAccountEnumeration({ config, store }: DetectorDeps): Detector {
  const e = config.enumeration;
  const bucketMs = Math.max(1000, Math.floor(e.windowMs / 20));
  const accounts: DistinctSpec = { name: 'enum.accounts', windowMs: e.windowMs, bucketMs, maxMembers: 1024 };
  const answers: SeriesSpec = { name: 'enum.answers', windowMs: e.windowMs, bucketMs };
  const unknown: SeriesSpec = { name: 'enum.unknown', windowMs: e.windowMs, bucketMs };
  const sprayBucket = Math.max(1000, Math.floor(e.sprayWindowMs / 30));
  const sprayAccounts: DistinctSpec = {
    name: 'spray.accounts',
    windowMs: e.sprayWindowMs,
    bucketMs: sprayBucket,
    maxMembers: 2048,
  };
  const sprayTries: SeriesSpec = { name: 'spray.tries', windowMs: e.sprayWindowMs, bucketMs: sprayBucket };
  const sprayFails: SeriesSpec = { name: 'spray.fails', windowMs: e.sprayWindowMs, bucketMs: sprayBucket };
  const unknownStatuses = new Set(config.routes.unknownAccountStatuses);
  const failure = new Set(config.routes.failureStatuses);

  const subjects = (view: RequestView): Facet[] => {
    const out: Facet[] = [view.ip];
    if (view.subnet) out.push(view.subnet);
    if (view.stack) out.push(view.stack);
    return out;
  };
  const accountOf = (view: RequestView): string | undefined => view.account ?? view.probedAccount;

  return {
    id: 'behaviour.enumeration',
    family: 'enumeration',
    profile(view, out) {
      if (!view.isLogin && !view.isEnumeration) return;
      const account = accountOf(view);
      for (const f of subjects(view)) {
        if (account !== undefined) store.addDistinct(accounts, f, account, view.now);
        if (view.isLogin && account !== undefined) store.addDistinct(sprayAccounts, f, account, view.now);
        const n = store.sum(answers, f, view.now);
        const distinct = store.distinct(accounts, f, view.now);
        const ratio = n === 0 ? 0 : store.sum(unknown, f, view.now) / n;
        if (distinct >= e.minDistinctAccounts && ratio >= e.minUnknownRatio) {
          out.push(
            behaviourFinding(
              'behaviour.account-enumeration',
              'enumeration',
              'high',
              `${f} asked about ${distinct} accounts and ${pct(ratio)} of the answers said the account does not exist`,
              [f],
            ),
          );
        }
        if (!view.isLogin) continue;
        const spread = store.distinct(sprayAccounts, f, view.now);
        const tries = store.sum(sprayTries, f, view.now);
        if (spread < e.sprayMinDistinctAccounts || tries / spread > e.sprayMaxAttemptsPerAccount) continue;
        const failRatio = store.sum(sprayFails, f, view.now) / Math.max(1, tries);
        if (failRatio >= e.sprayMinFailureRatio) {
          out.push(
            behaviourFinding(
              'behaviour.password-spraying',
              'enumeration',
              'high',
              `${f} tried ${spread} accounts about once each within ${Math.round(e.sprayWindowMs / 60_000)} min and ${pct(failRatio)} failed`,
              [f],
            ),
          );
        }
      }
    },
    observe(view, result) {
      if (!view.isLogin && !view.isEnumeration) return;
      for (const f of subjects(view)) {
        store.add(answers, f, view.now);
        if (unknownStatuses.has(result.status)) store.add(unknown, f, view.now);
        if (!view.isLogin) continue;
        store.add(sprayTries, f, view.now);
        if (failure.has(result.status) || unknownStatuses.has(result.status)) store.add(sprayFails, f, view.now);
      }
    },
  };
}
