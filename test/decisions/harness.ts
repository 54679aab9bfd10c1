import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Registry } from 'prom-client';
import { AdminRouter } from '../../src/admin/router.ts';
import { createAdminServer } from '../../src/admin/server.ts';
import { systemClock } from '../../src/core/clock.ts';
import { decisionsConfigSchema } from '../../src/decisions/config.ts';
import { decisionRoutes } from '../../src/decisions/routes.ts';
import { type DecisionService, openDecisionService } from '../../src/decisions/service.ts';
import { EventBus } from '../../src/events/bus.ts';

export interface Harness {
  readonly url: string;
  readonly token: string;
  readonly dataDir: string;
  readonly service: DecisionService;
  readonly events: EventBus;
  close(): Promise<void>;
}

/** The real admin server (src/admin/server.ts) with only the decision routes, on an ephemeral loopback port. */
export async function startHarness(config: object = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-dec-api-'));
  const events = new EventBus();
  const service = await openDecisionService({
    dataDir,
    clock: systemClock,
    events,
    config: decisionsConfigSchema.parse(config),
  });
  const router = new AdminRouter();
  router.add(decisionRoutes(service));
  const token = 'test-token-0123456789abcdef';
  const server = createAdminServer({
    router,
    token,
    registry: new Registry(),
    maxBodyBytes: 1024 * 1024,
    isReady: () => true,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    dataDir,
    service,
    events,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Captures a CLI command's output. */
export function captureIo() {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  return {
    io: { stdout: out, stderr: err },
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}
