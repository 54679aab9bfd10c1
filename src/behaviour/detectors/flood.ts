import type { Facet } from '../../core/facet.ts';
import type { SeriesSpec } from '../counter-store.ts';
import { behaviourFinding, type Detector, type DetectorDeps } from '../detector.ts';
import { CappedLru } from '../lru.ts';

/**
 * Floods (OWASP OAT-015 Denial of Service): request rate per IP and per principal against fixed ceilings, and per
 * route against its own learned baseline (an exponentially weighted mean of past windows, updated when a window
 * closes; judged only once `baselineMinWindows` windows have been seen). A route far above its baseline raises a route alert; individual clients are judged by the ceilings,
 * which sit well above a busy NAT office (docs/bot-defence.md has the office's measured peak).
 */
interface Baseline {
  window: number;
  count: number;
  mean: number;
  /** Windows this route has been measured for; no alert before `baselineMinWindows`. */
  seen: number;
}

export function createFlood({ config, store, alerts }: DetectorDeps): Detector {
  const f = config.flood;
  const bucketMs = Math.max(100, Math.floor(f.windowMs / 10));
  const rate: SeriesSpec = { name: 'flood.rate', windowMs: f.windowMs, bucketMs };
  const baselines = new CappedLru<string, Baseline>(10_000);
  const seconds = Math.round(f.windowMs / 1000);

  const judge = (facet: Facet, max: number, now: number, out: Parameters<NonNullable<Detector['profile']>>[1]) => {
    store.add(rate, facet, now);
    const n = store.sum(rate, facet, now);
    if (n <= max) return;
    out.push(
      behaviourFinding(
        'behaviour.flood',
        'flood',
        n > 2 * max ? 'high' : 'medium',
        `${facet} sent ${n} requests in ${seconds} s; the ceiling is ${max}`,
        [facet],
      ),
    );
  };

  return {
    id: 'behaviour.flood',
    family: 'flood',
    profile(view, out) {
      judge(view.ip, f.maxPerIp, view.now, out);
      if (view.principal) judge(view.principal, f.maxPerPrincipal, view.now, out);
      const window = Math.floor(view.now / f.windowMs);
      let b = baselines.use(view.route);
      if (b === undefined) {
        b = { window, count: 0, mean: 0, seen: 0 };
        baselines.set(view.route, b);
      }
      if (b.window !== window) {
        // Windows with no traffic count as zero so a quiet route's baseline decays instead of freezing.
        const gap = Math.min(window - b.window, 100);
        b.mean = (1 - f.baselineAlpha) ** (gap - 1) * ((1 - f.baselineAlpha) * b.mean + f.baselineAlpha * b.count);
        b.window = window;
        b.count = 0;
        b.seen += gap;
      }
      b.count++;
      // A baseline needs history: right after a start (or for a route never seen) every busy route would look like
      // a flood and its users would all be challenged.
      if (b.seen >= f.baselineMinWindows && b.count >= f.routeMinRequests && b.count > f.routeFactor * b.mean) {
        alerts.raise(
          view.route,
          `rate ${b.count}/${seconds} s against a baseline of ${b.mean.toFixed(1)}`,
          view.now,
          5 * f.windowMs,
        );
      }
    },
  };
}
