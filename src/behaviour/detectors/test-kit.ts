import { ManualClock } from '../../core/clock.ts';
import type { Finding } from '../../core/finding.ts';
import { type BehaviourConfig, behaviourConfigSchema } from '../config.ts';
import { MemoryCounterStore } from '../counter-store.ts';
import type { Detector, DetectorEntry } from '../detector.ts';
import { type RequestView, ViewBuilder } from '../request-view.ts';
import { RouteAlerts } from '../route-alerts.ts';

/**
 * Drives one detector in virtual time for its case-table tests: `hit` builds a request view the way the engine
 * does, runs profile, then (when a status is given) observe, and returns the rule ids found.
 */
export interface Kit {
  readonly clock: ManualClock;
  readonly alerts: RouteAlerts;
  readonly config: BehaviourConfig;
  hit(req: KitRequest, status?: number): string[];
  findings(req: KitRequest, status?: number): Finding[];
}

export interface KitRequest {
  readonly ip: string;
  readonly path: string;
  readonly method?: string;
  readonly query?: string;
  readonly stack?: string;
  readonly account?: string;
  readonly principal?: string;
}

export function detectorKit(entry: DetectorEntry['create'], overrides: Record<string, unknown> = {}): Kit {
  const config = behaviourConfigSchema.parse(overrides);
  const clock = new ManualClock();
  const alerts = new RouteAlerts();
  const detector: Detector = entry({ config, store: new MemoryCounterStore(), alerts });
  const views = new ViewBuilder(config);
  const view = (r: KitRequest): RequestView =>
    views.build({
      now: clock.now(),
      method: r.method ?? 'GET',
      path: r.path,
      rawQuery: r.query ?? '',
      clientIp: r.ip,
      facets: [
        `ip:${r.ip}`,
        ...(r.stack ? ([`http:${r.stack}`] as const) : []),
        ...(r.account ? ([`account:${r.account}`] as const) : []),
        ...(r.principal ? ([`principal:${r.principal}`] as const) : []),
      ],
    });
  const findings = (r: KitRequest, status?: number): Finding[] => {
    const v = view(r);
    const out: Finding[] = [];
    detector.profile?.(v, out);
    if (status !== undefined) detector.observe?.(v, { status, latencyMs: 5 }, out);
    return out;
  };
  return { clock, alerts, config, findings, hit: (r, status) => findings(r, status).map((f) => f.ruleId) };
}
