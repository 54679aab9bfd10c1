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
  const sensitive = s.sensitivePaths.map((p) => p.toLowerCase());

  return {
    id: 'behaviour.scanning',
    family: 'scanning',
    profile(view, out) {
      const probe = sensitive.find((p) => view.path === p || view.path.startsWith(`${p}/`) || view.path.endsWith(p));
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
