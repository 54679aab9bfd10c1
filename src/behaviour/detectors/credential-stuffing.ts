import type { Facet } from '../../core/facet.ts';
import type { Finding } from '../../core/finding.ts';
import type { DistinctSpec, SeriesSpec } from '../counter-store.ts';
import { behaviourFinding, type Detector, type DetectorDeps, pct } from '../detector.ts';
import type { RequestView } from '../request-view.ts';

/**
 * Credential stuffing and brute force on login routes (OWASP OAT-008 Credential Stuffing, OAT-007 Cracking).
 * Per IP, subnet and client stack (TLS / HTTP fingerprint) we count observed attempts, failures and distinct
 * accounts. A stuffing list rotated over thousands of IPs shows one or two attempts per IP, so the IP view is
 * blind; the same tool keeps one client stack, so the fingerprint's window fills up. A NAT office shows many
 * accounts per IP but few failures, which is why every rule needs a high failure ratio as well.
 * The whole route's aggregate raises a login alert (see route-alerts.ts) before any single client qualifies.
 */
type Kind = 'ip' | 'subnet' | 'fingerprint';

export function createCredentialStuffing({ config, store, alerts }: DetectorDeps): Detector {
  const c = config.stuffing;
  const bucketMs = Math.max(1000, Math.floor(c.windowMs / 20));
  const attempts: SeriesSpec = { name: 'login.attempt', windowMs: c.windowMs, bucketMs };
  const fails: SeriesSpec = { name: 'login.fail', windowMs: c.windowMs, bucketMs };
  const accounts: DistinctSpec = { name: 'login.accounts', windowMs: c.windowMs, bucketMs, maxMembers: 1024 };
  const routeBucket = Math.max(1000, Math.floor(c.routeWindowMs / 12));
  const routeAttempts: SeriesSpec = { name: 'login.route.attempt', windowMs: c.routeWindowMs, bucketMs: routeBucket };
  const routeFails: SeriesSpec = { name: 'login.route.fail', windowMs: c.routeWindowMs, bucketMs: routeBucket };
  const accountFails: SeriesSpec = { name: 'login.account.fail', windowMs: c.windowMs, bucketMs };
  const failure = new Set(config.routes.failureStatuses);
  const minutes = Math.round(c.windowMs / 60_000);

  const subjects = (view: RequestView): [Facet, Kind][] => {
    const out: [Facet, Kind][] = [[view.ip, 'ip']];
    if (view.subnet) out.push([view.subnet, 'subnet']);
    if (view.tls) out.push([view.tls, 'fingerprint']);
    if (view.http) out.push([view.http, 'fingerprint']);
    return out;
  };

  return {
    id: 'behaviour.stuffing',
    family: 'stuffing',
    profile(view, out) {
      if (!view.isLogin) return;
      for (const [f, kind] of subjects(view)) {
        if (view.account) store.addDistinct(accounts, f, view.account, view.now);
        judge(view, f, kind, out);
      }
      if (view.account && store.sum(accountFails, view.account, view.now) >= c.accountMaxFailures) {
        out.push(
          behaviourFinding(
            'behaviour.brute-force-account',
            'stuffing',
            'medium',
            `this account had ${c.accountMaxFailures} or more failed logins in ${minutes} min`,
            [view.account],
          ),
        );
      }
    },
    observe(view, result) {
      if (!view.isLogin) return;
      const failed = failure.has(result.status);
      for (const [f] of subjects(view)) {
        store.add(attempts, f, view.now);
        if (failed) store.add(fails, f, view.now);
      }
      store.add(routeAttempts, view.route, view.now);
      if (failed) {
        store.add(routeFails, view.route, view.now);
        if (view.account) store.add(accountFails, view.account, view.now);
        const total = store.sum(routeAttempts, view.route, view.now);
        const ratio = store.sum(routeFails, view.route, view.now) / total;
        if (total >= c.routeMinAttempts && ratio >= c.routeMinFailureRatio) {
          alerts.raise(view.route, `login failure ratio ${pct(ratio)} over ${total} attempts`, view.now, c.alertMs);
        }
      }
    },
  };

  function judge(view: RequestView, f: Facet, kind: Kind, out: Finding[]): void {
    const t = c[kind];
    const n = store.sum(attempts, f, view.now);
    if (n < t.minAttempts) return;
    const ratio = store.sum(fails, f, view.now) / n;
    if (ratio < t.minFailureRatio) return;
    const distinct = store.distinct(accounts, f, view.now);
    // Without an account extractor (identity off, or a login body it cannot parse) the failure ratio alone
    // decides, at twice the attempts.
    const spread = view.account === undefined ? n >= 2 * t.minAttempts : distinct >= t.minDistinctAccounts;
    if (spread) {
      out.push(
        behaviourFinding(
          'behaviour.credential-stuffing',
          'stuffing',
          'high',
          `${f} tried ${view.account === undefined ? 'unknown' : distinct} accounts in ${n} logins over ${minutes} min and ${pct(ratio)} failed`,
          [f],
        ),
      );
    } else if (kind === 'ip' && n >= 2 * t.minAttempts) {
      out.push(
        behaviourFinding(
          'behaviour.brute-force',
          'stuffing',
          'high',
          `${f} made ${n} logins on ${distinct} account(s) over ${minutes} min and ${pct(ratio)} failed`,
          [f],
        ),
      );
    }
  }
}
