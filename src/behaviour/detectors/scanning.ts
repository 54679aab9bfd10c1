import type { DistinctSpec, SeriesSpec } from '../counter-store.ts';
import { behaviourFinding, type Detector, type DetectorDeps, pct } from '../detector.ts';

/**
 * Vulnerability scanning and forced browsing (OWASP OAT-014, OAT-018 Footprinting): requests for files no API
 * serves (`/.env`, `/.git/config`, `/wp-login.php`), and a high share of 401/403/404/405 answers over many
 * distinct unknown paths. A user following a stale link produces one 404, not eight distinct ones.
 */
export function createScanning({ config, store }: DetectorDeps): Detector {
  const s = config.scanning;
  const bucketMs = Math.max(1000, Math.floor(s.windowMs / 20));
  const total: SeriesSpec = { name: 'scan.total', windowMs: s.windowMs, bucketMs };
  const errors: SeriesSpec = { name: 'scan.errors', windowMs: s.windowMs, bucketMs };
  const unknown: DistinctSpec = { name: 'scan.unknown', windowMs: s.windowMs, bucketMs, maxMembers: 256 };
  const errorStatuses = new Set(s.errorStatuses);
  const sensitiveProbe = sensitiveMatcher(s.sensitivePaths);

  return {
    id: 'behaviour.scanning',
    family: 'scanning',
    profile(view, out) {
      const probe = sensitiveProbe(view.path);
      if (probe !== undefined || /\.(?:bak|old|sql|swp|orig)$/.test(view.path)) {
        out.push(
          behaviourFinding(
            'behaviour.sensitive-path-probe',
            'scanning',
            'high',
            `${view.ip} requested ${probe ?? 'a backup file'}, which no API serves`,
            [view.ip],
            'path',
          ),
        );
      }
      const n = store.sum(total, view.ip, view.now);
      if (n < s.minRequests) return;
      const ratio = store.sum(errors, view.ip, view.now) / n;
      const distinct = store.distinct(unknown, view.ip, view.now);
      if (ratio >= s.minErrorRatio && distinct >= s.minDistinctUnknown) {
        out.push(
          behaviourFinding(
            'behaviour.forced-browsing',
            'scanning',
            'high',
            `${view.ip} got ${pct(ratio)} error answers on ${n} requests, ${distinct} distinct unknown paths`,
            [view.ip],
          ),
        );
      }
    },
    observe(view, result) {
      store.add(total, view.ip, view.now);
      if (!errorStatuses.has(result.status)) return;
      store.add(errors, view.ip, view.now);
      if (result.status === 404 || result.status === 405) store.addDistinct(unknown, view.ip, view.path, view.now);
    },
  };
}

/**
 * Which configured sensitive path a request path names, if any: the path itself, a prefix of it ending at a
 * segment (`/.git` in `/.git/config`), or a suffix of it starting at one (`/.env` in `/app/.env`). The first in
 * configured order wins. Checked per request, so it probes a map at each `/` instead of testing every entry.
 */
export function sensitiveMatcher(paths: readonly string[]): (path: string) => string | undefined {
  const order = new Map<string, number>();
  paths.forEach((p, i) => {
    const key = (p.startsWith('/') ? p : `/${p}`).toLowerCase();
    if (!order.has(key)) order.set(key, i);
  });
  return (path) => {
    let best = Number.POSITIVE_INFINITY;
    let found: string | undefined;
    const consider = (candidate: string) => {
      const i = order.get(candidate);
      if (i !== undefined && i < best) {
        best = i;
        found = candidate;
      }
    };
    consider(path);
    for (let i = path.indexOf('/', 1); i !== -1; i = path.indexOf('/', i + 1)) {
      consider(path.slice(0, i));
      consider(path.slice(i));
    }
    return found;
  };
}
