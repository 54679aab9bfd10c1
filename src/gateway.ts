import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import pino, { type DestinationStream, type Logger } from 'pino';
import { coreRoutes, reloadRoutes } from './admin/core-routes.ts';
import { GatewayMetrics } from './admin/metrics.ts';
import { AdminRouter } from './admin/router.ts';
import { createAdminServer } from './admin/server.ts';
import { resolveAdminToken } from './admin/token.ts';
import { behaviourRoutes } from './behaviour/admin-routes.ts';
import { createCounterStore } from './behaviour/counter-store-factory.ts';
import { BEHAVIOUR_FAMILIES } from './behaviour/detectors/registry.ts';
import { type BehaviourEngine, createBehaviourEngine } from './behaviour/engine.ts';
import { splitDisabled } from './config/families.ts';
import type { Config } from './config/full-schema.ts';
import { parseHostPort, urlFor } from './config/host-port.ts';
import { planReload, type ReloadPlan } from './config/reload.ts';
import { type Clock, systemClock } from './core/clock.ts';
import { PortcullisError } from './core/errors.ts';
import { newIncidentId } from './core/incident-id.ts';
import { decisionRoutes } from './decisions/routes.ts';
import { type DecisionService, openDecisionService } from './decisions/service.ts';
import { createInspector } from './detection/inspector.ts';
import { loadRuleset } from './detection/ruleset.ts';
import { AccessLog } from './events/access-log.ts';
import { EventBus } from './events/bus.ts';
import { EventLog } from './events/event-log.ts';
import { eventRoutes } from './events/events-routes.ts';
import { actorRoutes, createActorGraph, subscribeActorFindings } from './identity/actor-graph.ts';
import { createIdentifier } from './identity/identifier.ts';
import { attachTlsFingerprinting, tlsFingerprintOf } from './identity/tls-fingerprint.ts';
import { createPipeline } from './pipeline/pipeline.ts';
import { createResponder } from './pipeline/respond.ts';
import type { Stage } from './pipeline/stage.ts';
import { createAccept } from './pipeline/stages/accept.ts';
import { createActStage } from './pipeline/stages/act.ts';
import type { Behaviour } from './pipeline/stages/behaviour-port.ts';
import { createForwardStage } from './pipeline/stages/forward.ts';
import { createGateStage } from './pipeline/stages/gate.ts';
import { createIdentifyStage, type Identifier, withoutFamilies } from './pipeline/stages/identify.ts';
import { createInspectStage, type Inspector } from './pipeline/stages/inspect.ts';
import { createObserveStage } from './pipeline/stages/observe.ts';
import { createProfileStage } from './pipeline/stages/profile.ts';
import { createRecordStage } from './pipeline/stages/record.ts';
import { createScoreStage } from './pipeline/stages/score.ts';
import { Upstream } from './proxy/upstream.ts';
import { createDataPlaneServer, listen } from './server/data-plane.ts';
import { drainServer } from './server/drain.ts';
import { TrustedProxies } from './server/trusted-proxies.ts';

/** Parts a test (or an embedding program) may supply instead of the ones built from config. */
export interface GatewayOverrides {
  readonly clock?: Clock;
  /** Where JSON logs go; stdout by default. */
  readonly logDestination?: DestinationStream;
  readonly inspector?: Inspector;
  readonly identifier?: Identifier;
  readonly behaviour?: Behaviour;
  /** Re-reads the configuration (file, env, flags) for SIGHUP and POST /api/v1/reload; absent = not reloadable. */
  readonly reloadConfig?: () => Config;
}

export interface Gateway {
  readonly url: string;
  readonly httpsUrl?: string;
  readonly adminUrl: string;
  readonly adminToken: string;
  /** true when this start generated the admin token (so the CLI prints it once). */
  readonly adminTokenGenerated: boolean;
  readonly adminTokenFile?: string;
  readonly config: Config;
  readonly events: EventBus;
  readonly decisions: DecisionService;
  /** The behaviour engine built from config (absent when behaviour is disabled or overridden). */
  readonly behaviour?: BehaviourEngine;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  /** Applies the reloadable sections of a new config (detection); says what else needs a restart. */
  reload(next: Config, by: string): ReloadPlan;
  /** Stops accepting, lets in-flight requests finish (up to shutdown.drainTimeoutMs), then closes everything. */
  close(): Promise<void>;
}

/** Client-side finding categories of the identity area, usable with `disable`. */
const IDENTITY_FAMILIES = ['client', 'bot'];

function ensureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new PortcullisError(
      'PC_ERR_DATA_DIR',
      `cannot create data dir ${dir} (${(cause as Error).message}); pass --data-dir to a writable place`,
      { cause },
    );
  }
}

/**
 * The composition root (style rule 4): config → stores → detectors → pipeline → servers.
 * Everything else receives what it needs as arguments, so a test builds an isolated gateway in one call.
 */
export async function startGateway(config: Config, overrides: GatewayOverrides = {}): Promise<Gateway> {
  const clock = overrides.clock ?? systemClock;
  // --- detector families: every `disable` name must belong to an area (a typo is a start-up error, before any I/O)
  const ruleset = overrides.inspector === undefined ? loadRuleset() : undefined;
  const disabled = splitDisabled(config.disable, {
    detection: ruleset === undefined ? [] : [...ruleset.categories, 'inspection'],
    identity: IDENTITY_FAMILIES,
    behaviour: BEHAVIOUR_FAMILIES,
  });

  ensureDataDir(config.dataDir);
  const logDestination = overrides.logDestination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const logger = pino(
    { level: config.logging.level, base: { service: 'portcullis' }, timestamp: pino.stdTimeFunctions.isoTime },
    logDestination,
  );
  const accessLog = config.logging.access
    ? new AccessLog(logDestination, { service: 'portcullis', minLevel: logger.levelVal })
    : undefined;
  // Logs are written in batches off the hot path; a low-traffic gateway still shows them within a second.
  const logFlush = setInterval(() => {
    accessLog?.flush();
    logger.flush();
  }, 1_000);
  logFlush.unref();
  const token = resolveAdminToken(config.dataDir, config.admin.token);

  // --- side channels every part publishes to: events and metrics
  const metrics = new GatewayMetrics();
  const events = new EventBus((error) => logger.error({ err: error }, 'an event subscriber failed'));
  const eventLog = new EventLog({
    dataDir: config.dataDir,
    onError: (error) =>
      logger.error(
        { err: error, code: 'PC_ERR_EVENTS_WRITE' },
        'events could not be written; kept in memory and retried',
      ),
  });
  events.subscribe((event) => eventLog.append(event));

  // --- state: decisions, counters, actor links
  // store.kind redis: each node keeps its durable local copy and replicates through Redis (docs/decisions.md).
  const decisions = await openDecisionService({
    dataDir: config.dataDir,
    clock,
    events,
    config: config.decisions,
    ...(config.store.kind === 'redis' ? { cluster: { redisUrl: config.store.redisUrl, prefix: config.store.redisPrefix } } : {}),
  });
  const counters = createCounterStore(config.store, { clock, events, maxKeys: config.behaviour.windows.maxKeys });
  const actors = createActorGraph(config.identity);
  subscribeActorFindings(events, actors);

  // --- detectors
  const detection =
    ruleset === undefined || disabled.whole.has('detection')
      ? undefined
      : createInspector(config.detection, { ruleset, disabledFamilies: disabled.detection });
  const inspector = disabled.whole.has('detection') ? undefined : (overrides.inspector ?? detection);
  const identity = disabled.whole.has('identity')
    ? undefined
    : createIdentifier(config.identity, {
        dataDir: config.dataDir,
        clock,
        links: actors,
        loginRoutes: config.behaviour.routes.login,
      });
  const identifier = disabled.whole.has('identity')
    ? undefined
    : withoutFamilies(overrides.identifier ?? identity!, disabled.identity);
  const engine =
    overrides.behaviour !== undefined || disabled.whole.has('behaviour')
      ? undefined
      : createBehaviourEngine(config.behaviour, {
          clock,
          links: actors,
          decisions,
          counters,
          events,
          dataDir: config.dataDir,
          disabledFamilies: disabled.behaviour,
        });
  const behaviour = disabled.whole.has('behaviour') ? undefined : (overrides.behaviour ?? engine);

  // --- the pipeline, stage by stage (a disabled area contributes no stage at all)
  const trusted = new TrustedProxies(config.trustProxy);
  const upstream = new Upstream({ ...config.upstream, maxBodyBytes: config.limits.maxBodyBytes });
  const stages: Stage[] = [
    createIdentifyStage(trusted, identifier),
    createGateStage(decisions.gate, config.behaviour.tarpit.maxDelayMs),
  ];
  if (inspector !== undefined) stages.push(createInspectStage(inspector, config.detection.limits.bodyBytes));
  if (behaviour !== undefined) stages.push(createProfileStage(behaviour), createScoreStage(behaviour));
  stages.push(
    createActStage(behaviour),
    createForwardStage(upstream, trusted, config.upstream.connectTimeoutMs, behaviour),
  );
  if (behaviour !== undefined) stages.push(createObserveStage(behaviour));

  const pipeline = createPipeline({
    accept: createAccept({ clock, enforce: config.mode === 'enforce', tlsFingerprintOf }),
    stages,
    record: createRecordStage({ metrics, events, ...(accessLog === undefined ? {} : { accessLog }) }),
    respond: createResponder(behaviour),
    onStageError(ctx, stage, error) {
      logger.error({ err: error, incident: ctx.id, stage }, 'a pipeline stage failed; the client got a 500');
      ctx.responseStatus = 500;
      if (!ctx.res.headersSent) {
        ctx.res.writeHead(500, { 'content-type': 'application/problem+json', 'x-portcullis-incident': ctx.id });
        ctx.res.end(JSON.stringify({ title: 'Internal Server Error', status: 500, incident: ctx.id }));
      } else ctx.res.destroy();
    },
  });

  // --- reload: build the new state first (a bad config throws and the old one keeps serving), then swap
  let current = config;
  const reload = (next: Config, by: string): ReloadPlan => {
    const plan = planReload(current, next);
    if (plan.apply.includes('detection')) detection?.reload(next.detection);
    current = Object.freeze({ ...current, detection: next.detection });
    const now = clock.now();
    events.publish({
      type: 'system',
      id: newIncidentId(now),
      time: now,
      level: plan.needsRestart.length > 0 ? 'warn' : 'info',
      message: `configuration reloaded by ${by}: applied [${plan.apply.join(', ')}]${plan.needsRestart.length > 0 ? `; restart needed for [${plan.needsRestart.join(', ')}]` : ''}`,
    });
    logger.info({ by, applied: plan.apply, needsRestart: plan.needsRestart }, 'configuration reloaded');
    return plan;
  };

  // --- control plane
  const router = new AdminRouter();
  router.add(reloadRoutes(overrides.reloadConfig, reload));
  router.add(coreRoutes(router, config, () => stages.map((s) => s.name)));
  router.add(eventRoutes(eventLog));
  router.add(decisionRoutes(decisions));
  router.add(actorRoutes(actors, clock, identity));
  if (engine !== undefined) router.add(behaviourRoutes(engine));
  let ready = false;
  const admin = createAdminServer({
    router,
    token: token.token,
    registry: metrics.registry,
    maxBodyBytes: config.admin.maxBodyBytes,
    isReady: () => ready,
    onError: (error) => logger.error({ err: error }, 'admin API error'),
  });

  // --- data-plane listeners
  const servers: Server[] = [];
  const dataPlane = (tls?: { cert: string; key: string }): Server =>
    createDataPlaneServer({
      limits: config.limits,
      pipeline,
      ...(tls === undefined ? {} : { tls }),
      onClientError(report) {
        metrics.countRequest('block', report.status);
        logger.info({
          msg: 'request',
          incident: report.incidentId,
          ip: report.peer,
          status: report.status,
          action: 'block',
          code: report.status === 431 ? 'PC_ERR_REQUEST_TOO_LARGE' : 'PC_ERR_REQUEST_MALFORMED',
          parserError: report.code,
        });
      },
      onConnectionRefused(peer) {
        logger.warn(
          { ip: peer, limit: config.limits.maxConnectionsPerIp },
          'connection refused: too many open connections from one address',
        );
      },
    });

  const close = async () => {
    ready = false;
    await Promise.all([
      ...servers.map((s) => drainServer(s, config.shutdown.drainTimeoutMs)),
      drainServer(admin, 1_000),
    ]);
    await upstream.close();
    await decisions.close();
    await counters.close();
    detection?.close();
    eventLog.close();
    clearInterval(logFlush);
    accessLog?.flush();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  };

  try {
    const plain = parseHostPort(config.listen)!;
    const http = dataPlane();
    servers.push(http);
    const bound = await listen(http, plain.host, plain.port, 'the gateway (listen)');
    let httpsUrl: string | undefined;
    if (config.https !== undefined) {
      const secure = dataPlane({ cert: config.https.cert, key: config.https.key });
      // JA4/JA3 are read from the ClientHello before the handshake; disabled identity skips the peek.
      if (!disabled.whole.has('identity')) attachTlsFingerprinting(secure as HttpsServer);
      servers.push(secure);
      const hp = parseHostPort(config.https.listen)!;
      httpsUrl = urlFor('https', await listen(secure, hp.host, hp.port, 'the HTTPS listener (https.listen)'));
    }
    const adminAddr = parseHostPort(config.admin.listen)!;
    const adminBound = await listen(admin, adminAddr.host, adminAddr.port, 'the admin API (admin.listen)');
    ready = true;
    return {
      url: urlFor('http', bound),
      ...(httpsUrl === undefined ? {} : { httpsUrl }),
      adminUrl: urlFor('http', adminBound),
      adminToken: token.token,
      adminTokenGenerated: token.generated,
      ...(token.file === undefined ? {} : { adminTokenFile: token.file }),
      config,
      events,
      decisions,
      ...(engine === undefined ? {} : { behaviour: engine }),
      metrics,
      logger,
      reload,
      close,
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
