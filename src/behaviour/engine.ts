import type { IncomingHttpHeaders } from 'node:http';
import type { ActorLinks } from '../core/actor.ts';
import type { Clock } from '../core/clock.ts';
import type { DecisionWriter } from '../core/decision.ts';
import { PortcullisError } from '../core/errors.ts';
import type { Facet } from '../core/facet.ts';
import { type Finding, severityRank } from '../core/finding.ts';
import type { Verdict } from '../core/verdict.ts';
import type { EventBus } from '../events/bus.ts';
import type { RequestContext } from '../pipeline/context.ts';
import { CampaignTracker } from './campaign.ts';
import { Challenger, type Standing } from './challenge/challenger.ts';
import { renderChallenge } from './challenge/responder.ts';
import { ChallengeSecrets, loadMasterKey } from './challenge/secrets.ts';
import type { BehaviourConfig } from './config.ts';
import type { CounterStore, CounterStoreStats } from './counter-store.ts';
import { decide } from './decide.ts';
import { findingWeight, isWeak, separateEvidence } from './evidence.ts';
import type { Detector } from './detector.ts';
import { BEHAVIOUR_DETECTORS, BEHAVIOUR_FAMILIES } from './detectors/registry.ts';
import { Enforcer } from './enforcer.ts';
import { checkPolicy, checkWeakCap, weakCapOf } from './policy.ts';
import type { RequestView } from './request-view.ts';
import { ViewBuilder } from './request-view.ts';
import { RiskBook, type RiskExplanation } from './risk.ts';
import { type RouteAlert, RouteAlerts } from './route-alerts.ts';
import { Tarpit, type TarpitStats } from './tarpit.ts';
import { holdInTarpit } from './tarpit-stage.ts';

/**
 * The behaviour engine: windows and detectors (profile), decaying risk per facet (score), the graded policy
 * (act), feedback from the upstream (observe), and the challenge and tarpit responders. The gateway builds one
 * per process in src/gateway.ts; `portcullis replay` builds one on a virtual clock and feeds it log lines.
 */
export interface BehaviourDeps {
  readonly clock: Clock;
  readonly links: ActorLinks;
  readonly decisions: DecisionWriter;
  readonly counters: CounterStore;
  readonly events: EventBus;
  /** Holds the challenge master key (`challenge.key`). */
  readonly dataDir: string;
  readonly disabledFamilies: readonly string[];
}

/** The part of a request context the engine reads and writes; a RequestContext is one, and so is a log line. */
export type BehaviourSubject = Pick<
  RequestContext,
  'id' | 'method' | 'path' | 'rawQuery' | 'clientIp' | 'facets' | 'findings' | 'verdict' | 'enforce' | 'notes'
> & {
  readonly req: { readonly headers: IncomingHttpHeaders };
  readonly upstream?: RequestContext['upstream'];
  risk?: number;
  exempt?: boolean;
  behaviourState?: object;
};

export interface BehaviourStats {
  readonly families: readonly string[];
  readonly disabled: readonly string[];
  readonly alerts: readonly RouteAlert[];
  readonly tarpit: TarpitStats;
  readonly counters: CounterStoreStats;
  readonly decisions: { written: number; failed: number; active: number };
  readonly riskFacets: number;
}

export interface BehaviourEngine {
  readonly families: readonly string[];
  profile(ctx: BehaviourSubject): void;
  score(ctx: BehaviourSubject): void;
  act(ctx: BehaviourSubject): void;
  observe(ctx: BehaviourSubject): void;
  respond(ctx: RequestContext, verdict: Verdict): boolean;
  tarpit(ctx: RequestContext, verdict: Verdict & { action: 'tarpit' }): Promise<void>;
  explain(facet: Facet): RiskExplanation;
  stats(): BehaviourStats;
}

interface RequestState {
  readonly view: RequestView;
  readonly standing: Standing;
  /** Findings already turned into risk (observe adds more later). */
  scored: number;
}

const NO_STANDING: Standing = { verified: false, passedNow: false, unanswered: 0 };
const SHARED_KINDS = new Set(['subnet', 'tls', 'ja3', 'http']);

export function createBehaviourEngine(config: BehaviourConfig, deps: BehaviourDeps): BehaviourEngine {
  const { clock, counters: store, links } = deps;
  const disabled = new Set(deps.disabledFamilies);
  const unknown = [...disabled].filter((f) => !BEHAVIOUR_FAMILIES.includes(f));
  if (unknown.length > 0) {
    throw new RangeError(
      `unknown behaviour famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}; use ${BEHAVIOUR_FAMILIES.join(', ')}`,
    );
  }
  const misordered = [...checkPolicy(config.policy), ...checkWeakCap(config.risk.weakCap, config.policy)];
  if (misordered.length > 0) throw new PortcullisError('PC_ERR_CONFIG_INVALID', misordered.join('\n'));
  const alerts = new RouteAlerts();
  const detectors: Detector[] = BEHAVIOUR_DETECTORS.filter((d) => !disabled.has(d.family)).map((d) =>
    d.create({ config, store, alerts }),
  );
  const views = new ViewBuilder(config);
  const book = new RiskBook({
    halfLifeMs: config.risk.halfLifeMs,
    maxFacets: config.risk.maxFacets,
    weakCap: weakCapOf(config.risk.weakCap, config.policy),
  });
  const campaign = new CampaignTracker(config, store);
  const challenger = disabled.has('challenge')
    ? undefined
    : new Challenger(config, new ChallengeSecrets(loadMasterKey(deps.dataDir), config.challenge.rotationMs), store);
  const pit = new Tarpit(config.tarpit);
  const enforcer = new Enforcer(config, deps);
  // Only this engine writes `behaviourState`, always a RequestState.
  const stateIn = (ctx: BehaviourSubject): RequestState | undefined => ctx.behaviourState as RequestState | undefined;
  const { weights, ruleWeights, maxStack, sharedCap, linkFlow } = config.risk;
  const stackOnce = new Set(config.risk.stackOnce);

  const stateOf = (ctx: BehaviourSubject): RequestState => {
    let st = stateIn(ctx);
    if (st === undefined) {
      st = { view: buildView(ctx), standing: NO_STANDING, scored: 0 };
      ctx.behaviourState = st;
    }
    return st;
  };
  const buildView = (ctx: BehaviourSubject): RequestView =>
    views.build({
      now: clock.now(),
      method: ctx.method,
      path: ctx.path,
      rawQuery: ctx.rawQuery,
      clientIp: ctx.clientIp,
      facets: ctx.facets,
      accept: ctx.req.headers.accept,
      userAgent: ctx.req.headers['user-agent'],
    });

  const riskWeights = { weights, ruleWeights };
  const weightOf = (f: Finding): number => findingWeight(f, riskWeights);
  const addRisk = (f: Finding, view: RequestView, now: number): void => {
    if (f.monitorOnly === true) return;
    const weight = weightOf(f);
    // Findings that name no facet concern the actor, never the shared facets it travels with: one XSS attempt
    // from a Chrome user must not put risk on every Chrome user's fingerprint.
    const facets = f.facets ?? (view.principal ? [view.ip, view.principal] : [view.ip]);
    const addition = {
      ruleId: f.ruleId,
      weight,
      cap: stackOnce.has(f.ruleId) ? weight : weight * maxStack,
      explanation: f.explanation,
      weak: isWeak(f, riskWeights),
    };
    for (const facet of facets) book.add(facet, addition, now);
  };

  const capped = (facet: Facet, now: number): number => {
    const r = book.risk(facet, now);
    if (r === 0) return 0; // most facets carry no risk: skip the kind lookup
    const kind = facet.slice(0, facet.indexOf(':'));
    if (kind === 'account' || (SHARED_KINDS.has(kind) && campaign.isCommon(facet))) return Math.min(r, sharedCap);
    return r;
  };

  const sharedOf = (view: RequestView): Facet[] => {
    const out: Facet[] = [];
    if (view.subnet) out.push(view.subnet);
    if (view.tls) out.push(view.tls);
    if (view.http) out.push(view.http);
    return out;
  };

  return {
    families: BEHAVIOUR_FAMILIES,

    profile(ctx) {
      const view = buildView(ctx);
      const standing = challenger?.verify(view, ctx.req.headers.cookie, ctx.findings) ?? NO_STANDING;
      for (const d of detectors) d.profile?.(view, ctx.findings);
      ctx.behaviourState = { view, standing, scored: 0 } satisfies RequestState;
      if (standing.verified) ctx.notes.challengePassed = true;
    },

    score(ctx) {
      const st = stateOf(ctx);
      const { view } = st;
      const now = view.now;
      if (st.standing.passedNow) {
        book.relieve(view.ip, config.challenge.passRelief, now);
        if (view.principal) book.relieve(view.principal, config.challenge.passRelief, now);
      }
      if (st.scored < ctx.findings.length) {
        const fresh = st.scored === 0 ? ctx.findings : ctx.findings.slice(st.scored);
        for (const f of separateEvidence(fresh, weightOf)) addRisk(f, view, now);
      }
      st.scored = ctx.findings.length;
      let risk = 0;
      let top: Facet | undefined;
      const consider = (facet: Facet | undefined, flow: number): void => {
        if (facet === undefined) return;
        const r = capped(facet, now) * flow;
        if (r > risk) {
          risk = r;
          top = facet;
        }
      };
      consider(view.ip, 1);
      consider(view.principal, 1);
      consider(view.account, 1);
      consider(view.subnet, 1);
      consider(view.tls, 1);
      consider(view.http, 1);
      const linked = links.linked(view.ip, now);
      for (let i = 0; i < linked.length && i < 8; i++) consider(linked[i], linkFlow);
      ctx.risk = Math.round(risk * 10) / 10;
      if (top !== undefined) ctx.notes.riskFacet = top;
      campaign.see(view.ip, sharedOf(view), risk < config.policy.watch);
    },

    act(ctx) {
      if (ctx.exempt === true || ctx.verdict.action !== 'allow') return;
      const st = stateOf(ctx);
      const verdict = decide(ctx, st.view, st.standing, {
        config,
        alerts,
        challenger,
        pit,
        blockRank: severityRank(config.policy.blockSeverity),
      });
      if (verdict === undefined) return;
      ctx.verdict = verdict;
      if (verdict.action !== 'block' || !ctx.enforce) return;
      const now = st.view.now;
      const source = `detector:${verdict.ruleId ?? 'behaviour.risk'}` as const;
      enforcer.block({ kind: 'ip', value: ctx.clientIp, reason: verdict.reason, source, incidentId: ctx.id });
      for (const esc of campaign.blocked(st.view.ip, sharedOf(st.view), now)) {
        enforcer.block({
          kind: esc.kind,
          value: esc.value,
          reason: `campaign: ${esc.blockedIps} blocked addresses share ${esc.facet}`,
          source: 'detector:behaviour.campaign',
          incidentId: ctx.id,
        });
      }
    },

    observe(ctx) {
      const st = stateIn(ctx);
      const up = ctx.upstream;
      if (st === undefined || up === undefined || up.error !== undefined) return;
      const out: Finding[] = [];
      for (const d of detectors) d.observe?.(st.view, { status: up.status, latencyMs: up.latencyMs }, out);
      for (const f of out) {
        addRisk(f, st.view, st.view.now);
        ctx.findings.push(f);
      }
      st.scored = ctx.findings.length;
    },

    respond(ctx, verdict) {
      if (verdict.action !== 'challenge' || challenger === undefined) return false;
      return renderChallenge(ctx, verdict, stateOf(ctx).view, challenger, config);
    },

    tarpit(ctx, verdict) {
      return holdInTarpit(ctx, verdict, pit);
    },

    explain(facet) {
      const now = clock.now();
      const own = book.explain(facet, now);
      const inherited = links
        .linked(facet, now)
        .slice(0, 8)
        .map((l) => ({ facet: l, risk: Math.round(capped(l, now) * linkFlow * 10) / 10 }))
        .filter((l) => l.risk > 0);
      return inherited.length > 0 ? { ...own, inherited } : own;
    },

    stats() {
      return {
        families: BEHAVIOUR_FAMILIES,
        disabled: [...disabled],
        alerts: alerts.list(clock.now()),
        tarpit: pit.stats(),
        counters: store.stats(),
        decisions: enforcer.stats(),
        riskFacets: book.size,
      };
    },
  };
}
