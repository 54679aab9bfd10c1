import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoApi } from '../../examples/demo-api/server.ts';
import type { BehaviourEngine } from '../behaviour/engine.ts';
import { configSchema } from '../config/full-schema.ts';
import type { DecisionService } from '../decisions/service.ts';
import { type Gateway, startGateway } from '../gateway.ts';

/**
 * A protected stack in one process: the demo API and the real gateway (src/gateway.ts, the composition root)
 * with identity, detection and the behaviour engine built from configuration, exactly as `portcullis start`
 * builds them. Used by the simulator, the behaviour integration tests and the throughput bench.
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
  /** The `behaviour:` configuration section. */
  readonly behaviour?: Record<string, unknown>;
  readonly counters?: 'memory' | 'redis';
  readonly mode?: 'enforce' | 'monitor';
  /** false: the gateway without the behaviour engine (benchmarks isolate its cost this way). */
  readonly withBehaviour?: boolean;
  /** Protect this upstream instead of starting the demo API. */
  readonly upstreamUrl?: string;
}

export async function startProtectedStack(options: StackOptions = {}): Promise<ProtectedStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-stack-'));
  const demo = options.upstreamUrl === undefined ? await startDemoApi('127.0.0.1', 0) : undefined;
  const config = configSchema.parse({
    listen: '127.0.0.1:0',
    admin: { listen: '127.0.0.1:0' },
    upstream: { url: options.upstreamUrl ?? demo!.url },
    dataDir,
    mode: options.mode ?? 'enforce',
    logging: { level: 'silent', access: false },
    behaviour: options.behaviour ?? {},
    store:
      options.counters === 'redis'
        ? { kind: 'redis', redisPrefix: `pcsim:${process.pid}:${Date.now()}:` }
        : { kind: 'embedded' },
    disable: options.withBehaviour === false ? ['behaviour'] : [],
  });
  const gateway = await startGateway(config, { logDestination: { write: () => {} } });
  const engine = gateway.behaviour;
  if (engine === undefined && options.withBehaviour !== false) {
    await gateway.close();
    throw new Error('the gateway started without its behaviour engine');
  }
  return {
    url: gateway.url,
    adminUrl: gateway.adminUrl,
    adminToken: gateway.adminToken,
    engine: engine as BehaviourEngine,
    decisions: gateway.decisions,
    gateway,
    dataDir,
    async close() {
      await gateway.close();
      await demo?.close();
    },
  };
}
