import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoApi } from '../../examples/demo-api/server.ts';
import { behaviourConfigSchema } from '../behaviour/config.ts';
import { type CounterStore, MemoryCounterStore } from '../behaviour/counter-store.ts';
import { type BehaviourEngine, createBehaviourEngine } from '../behaviour/engine.ts';
import { RedisCounterStore } from '../behaviour/redis-counter-store.ts';
import { configSchema } from '../config/full-schema.ts';
import { systemClock } from '../core/clock.ts';
import type { DecisionWriter } from '../core/decision.ts';
import type { DecisionService } from '../decisions/service.ts';
import { detectionConfigSchema } from '../detection/config.ts';
import { createInspector } from '../detection/inspector.ts';
import { EventBus } from '../events/bus.ts';
import { type Gateway, startGateway } from '../gateway.ts';
import { createActorGraph } from '../identity/actor-graph.ts';
import { identityConfigSchema } from '../identity/config.ts';
import { createIdentifier } from '../identity/identifier.ts';

/**
 * A protected stack in one process: the demo API, the real gateway (src/gateway.ts) with the decision service,
 * a counter store and the behaviour engine wired in. Used by the simulator and the behaviour integration tests
 * until the gateway wires the behaviour engine from its own config; the parts are the same ones it will use.
 */
export interface ProtectedStack {
  readonly url: string;
  readonly adminUrl: string;
  readonly adminToken: string;
  readonly engine: BehaviourEngine;
  readonly decisions: DecisionService;
  readonly gateway: Gateway;
  readonly dataDir: string;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly behaviour?: Record<string, unknown>;
  readonly counters?: 'memory' | 'redis';
  readonly disabledFamilies?: string[];
  readonly mode?: 'enforce' | 'monitor';
  /** false: the gateway without the behaviour engine (benchmarks isolate its cost this way). */
  readonly withBehaviour?: boolean;
  /** Protect this upstream instead of starting the demo API. */
  readonly upstreamUrl?: string;
}

export async function startProtectedStack(options: StackOptions = {}): Promise<ProtectedStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-stack-'));
  const demo = options.upstreamUrl === undefined ? await startDemoApi('127.0.0.1', 0) : undefined;
  const events = new EventBus();
  // The gateway opens the decision store itself; the engine is built first, so it writes through this
  // forwarder, which is connected as soon as the gateway is up (before any request can arrive).
  let store: DecisionService | undefined;
  const decisions: DecisionWriter = {
    add: (d, by) => (store ? store.add(d, by) : Promise.reject(new Error('the decision store is not open yet'))),
    history: (kind, value) => store?.history(kind, value) ?? [],
  };
  const counters: CounterStore =
    options.counters === 'redis'
      ? new RedisCounterStore({ clock: systemClock, prefix: `pcsim:${process.pid}:${Date.now()}:` })
      : new MemoryCounterStore();
  // The identity area's identifier and actor graph, configured for the demo API's login route.
  const identity = identityConfigSchema.parse({
    loginRoutes: [{ method: 'POST', path: '/api/login', field: 'username', format: 'auto' }],
  });
  const links = createActorGraph(identity);
  const identifier = createIdentifier(identity, { dataDir, clock: systemClock, links });
  const engine = createBehaviourEngine(behaviourConfigSchema.parse(options.behaviour ?? {}), {
    clock: systemClock,
    links,
    decisions,
    counters,
    events,
    dataDir,
    disabledFamilies: options.disabledFamilies ?? [],
  });
  const config = configSchema.parse({
    listen: '127.0.0.1:0',
    admin: { listen: '127.0.0.1:0' },
    upstream: { url: options.upstreamUrl ?? demo!.url },
    dataDir,
    mode: options.mode ?? 'enforce',
    logging: { level: 'silent', access: false },
  });
  const gateway = await startGateway(config, {
    ...(options.withBehaviour === false ? {} : { behaviour: engine }),
    identifier,
    logDestination: { write: () => {} },
  });
  store = gateway.decisions;
  return {
    url: gateway.url,
    adminUrl: gateway.adminUrl,
    adminToken: gateway.adminToken,
    engine,
    decisions: gateway.decisions,
    gateway,
    dataDir,
    async close() {
      await gateway.close();
      await counters.close();
      await demo?.close();
    },
  };
}
