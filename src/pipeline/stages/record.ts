import type { GatewayMetrics } from '../../admin/metrics.ts';
import type { AccessLog } from '../../events/access-log.ts';
import type { EventBus } from '../../events/bus.ts';
import { EventSampler } from '../../events/sampler.ts';
import type { RequestContext } from '../context.ts';
import type { Stage, StageName } from '../stage.ts';

const UPSTREAM_CODES = {
  unreachable: 'PC_ERR_UPSTREAM_UNREACHABLE',
  timeout: 'PC_ERR_UPSTREAM_TIMEOUT',
  aborted: undefined,
} as const;

/**
 * record: one access record per request, metrics, and an event for anything worth an operator's attention
 * (any finding, any action but a plain allow, any upstream failure). Events go to the bus; the event log,
 * the dashboard feed and whatever else subscribes pick them up there (a side channel: record never waits).
 */
export function createRecordStage(deps: {
  metrics: GatewayMetrics;
  events: EventBus;
  accessLog?: AccessLog;
  sampler?: EventSampler;
}): Stage {
  const { metrics, events, accessLog } = deps;
  const sampler = deps.sampler ?? new EventSampler();
  return {
    name: 'record',
    run(ctx: RequestContext) {
      const status = ctx.responseStatus ?? (ctx.res.headersSent ? ctx.res.statusCode : 0);
      const applied = ctx.wouldHave ?? ctx.verdict;
      const action = applied.action;
      metrics.countRequest(action, status);
      for (const name in ctx.timings) metrics.observeStage(name as StageName, ctx.timings[name as StageName]!);
      if (ctx.upstream !== undefined && ctx.upstream.status !== 0)
        metrics.upstreamLatency.observe(ctx.upstream.latencyMs / 1000);
      for (const f of ctx.findings) metrics.countFinding(f.category, f.severity);

      const now = Date.now();
      if (accessLog !== undefined) {
        const code =
          status === 413
            ? 'PC_ERR_REQUEST_TOO_LARGE'
            : ctx.upstream?.error === undefined
              ? undefined
              : UPSTREAM_CODES[ctx.upstream.error];
        accessLog.write(
          {
            incident: ctx.id,
            ip: ctx.clientIp,
            method: ctx.method,
            path: ctx.path,
            status,
            action,
            enforced: ctx.wouldHave === undefined,
            latencyMs: now - ctx.receivedAt,
            ...(ctx.upstream?.error === undefined ? {} : { upstreamError: ctx.upstream.error }),
            ...(code === undefined ? {} : { code }),
          },
          now,
        );
      }

      // Every applied (or would-be) action and every upstream failure is an event; findings below the blocking
      // severity and allow-listed traffic are sampled per client (events/sampler.ts); info findings never are.
      if (!events.hasListeners) return;
      // A client refused at the gate by an existing decision is explained by that decision (and its own events);
      // sampling those keeps a blocked flood the cheapest traffic we serve instead of an event-log write each.
      const repeatBlock = ctx.notes.gateMatched !== undefined && ctx.wouldHave === undefined;
      const acted =
        !repeatBlock &&
        (action === 'block' || action === 'challenge' || action === 'tarpit' || ctx.upstream?.error !== undefined);
      if (!acted) {
        const notable =
          repeatBlock || applied.reason !== 'no finding' || ctx.findings.some((f) => f.severity !== 'info');
        if (!notable) return;
        if (!sampler.admit(ctx.clientIp, ctx.receivedAt)) {
          metrics.countSuppressedEvent();
          return;
        }
      }
      events.publish({
        type: 'request',
        id: ctx.id,
        incidentId: ctx.id,
        time: ctx.receivedAt,
        clientIp: ctx.clientIp,
        method: ctx.method,
        path: ctx.path,
        status,
        action,
        enforced: ctx.wouldHave === undefined,
        reason:
          ctx.upstream?.error !== undefined && action === 'allow' ? `upstream ${ctx.upstream.error}` : applied.reason,
        facets: ctx.facets,
        findings: ctx.findings,
        ...(ctx.risk === undefined ? {} : { risk: ctx.risk }),
        ...('decisionId' in applied && applied.decisionId !== undefined ? { decisionId: applied.decisionId } : {}),
      });
    },
  };
}
