import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { Redis } from 'ioredis';
import type { Clock } from '../../src/core/clock.ts';
import { ManualClock, systemClock } from '../../src/core/clock.ts';
import { decisionsConfigSchema } from '../../src/decisions/config.ts';
import { type DecisionService, openDecisionService } from '../../src/decisions/service.ts';
import { EventBus } from '../../src/events/bus.ts';
import type { PortcullisEvent } from '../../src/events/event.ts';

/**
 * What the decisions tests share: a decision service in a temp dir (embedded or clustered through Redis), a Redis
 * key prefix per run, and the block decision most tests add.
 */
export const REDIS_URL = process.env.PORTCULLIS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Node {
  readonly svc: DecisionService;
  readonly dataDir: string;
  readonly seen: PortcullisEvent[];
}

/** One decision service; `cluster` undefined = embedded store only. The caller removes the data dir (`cleanup`). */
export async function openNode(
  opts: {
    cluster?: { redisUrl: string; prefix: string; nodeId?: string } | undefined;
    dataDir?: string;
    clock?: Clock;
    config?: object;
  } = {},
): Promise<Node> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'pc-dec-cluster-'));
  const events = new EventBus();
  const seen: PortcullisEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const svc = await openDecisionService({
    dataDir,
    clock: opts.clock ?? systemClock,
    events,
    config: decisionsConfigSchema.parse(opts.config ?? {}),
    cluster: opts.cluster,
  });
  return { svc, dataDir, seen };
}

/**
 * Opens embedded stores on a ManualClock, each in a fresh temp dir unless one is given (reopening a dir is a
 * restart); the dirs it made are removed after the calling file's tests. Call it at a test file's top level.
 */
export function embeddedOpener(): (dataDir?: string, clock?: ManualClock) => Promise<Node & { clock: ManualClock }> {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) removeDir(d);
  });
  return async (dataDir, clock = new ManualClock(1_700_000_000_000)) => {
    const node = await openNode({ clock, ...(dataDir === undefined ? {} : { dataDir }) });
    if (dataDir === undefined) dirs.push(node.dataDir);
    return { ...node, clock };
  };
}

/**
 * The nodes and Redis key prefixes a cluster test file makes: closed, their dirs removed and their keys dropped
 * after the file's tests. Call it at a test file's top level and push what each test opens.
 */
export function clusterTeardown(): { readonly nodes: Node[]; readonly prefixes: string[] } {
  const made = { nodes: [] as Node[], prefixes: [] as string[] };
  after(async () => {
    for (const n of made.nodes) await n.svc.close();
    for (const n of made.nodes) removeDir(n.dataDir);
    for (const p of made.prefixes) await dropPrefix(p);
  });
  return made;
}

/** A key prefix no other test run uses; `dropPrefix` deletes its keys afterwards. */
export function uniquePrefix(): string {
  return `pctest:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}:`;
}

export async function dropPrefix(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    const keys = await r.keys(`${prefix}*`);
    if (keys.length > 0) await r.del(...keys);
  } finally {
    r.disconnect();
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Polls `check` every 20 ms until it is true or `ms` pass; returns how long it took (or throws). */
export async function within(ms: number, check: () => boolean, what: string): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (check()) return Date.now() - t0;
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A block decision input for `value` (an IP, or a CIDR when it has a `/`), with `extra` fields over it. */
export const block = (value: string, extra: object = {}) =>
  ({
    kind: value.includes('/') ? 'cidr' : 'ip',
    value,
    action: 'block',
    reason: 'test',
    source: 'manual',
    ...extra,
  }) as const;

/** A TCP hop in front of Redis that the test can cut and restore, to simulate an outage. */
export function redisProxy(): Promise<{
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = netConnect(6379, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  const cut = async () => {
    await new Promise<void>((r) => {
      server.close(() => r());
      for (const s of sockets) s.destroy();
    });
  };
  return listen().then(() => ({ url: `redis://127.0.0.1:${port}`, cut, restore: listen, close: cut }));
}
