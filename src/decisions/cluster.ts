import { randomBytes } from 'node:crypto';
import { releaseHeapAfterBulk } from '../core/heap-release.ts';
import { newIncidentId } from '../core/incident-id.ts';
import { applyRemoteAdds, applyRemoteDels } from './cluster-apply.ts';
import { snapshot } from './cluster-snapshot.ts';
import { ClusterTransport, RETRY_MS, type StreamEntry } from './cluster-transport.ts';
import type { ChangeSink, LocalChange, WireAdd, WireDel } from './cluster-wire.ts';
import type { DecisionCore } from './core.ts';

export interface ClusterOptions {
  /** `redis://host:6379/0` */
  readonly redisUrl: string;
  /** Key prefix shared by every node of one cluster (`store.redisPrefix`); keys are `<prefix>decisions:…`. */
  readonly prefix: string;
  /** Stable name of this node; default: a random one made once and kept in the data dir (meta table). */
  readonly nodeId?: string | undefined;
}

/** How often each node drops expired entries from the shared set. */
const EXPIRE_EVERY_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Shares decisions between gateway nodes through Redis. Each node keeps its embedded SQLite store and in-memory
 * gate; this only moves committed changes in and out, so nothing on the request path ever waits on Redis.
 *
 *   local write ─► SQLite commit ─► gate ─► API returns
 *                                     └─► queue (bounded) ─► pcAdd/pcDel script: HSET/HDEL set + XADD changes
 *   remote node ◄─ XREAD BLOCK changes (from the last id read, kept in SQLite meta) ◄─┘
 *                   └─► cluster-apply.ts: SQLite commit (source cluster) ─► gate ─► DecisionEvent
 *
 * Start: catch up (stream from the last id read, or a full snapshot of the set for a new node, after a gap in
 * the stream, or after changes were lost from the queue) before `start()` resolves, unless Redis is unreachable,
 * in which case the node starts on its local copy, reports PC_ERR_CLUSTER_UNREACHABLE, and catches up when
 * Redis is back. See docs/decisions.md, "Cluster mode".
 */
export class ClusterReplicator implements ChangeSink {
  readonly nodeId: string;
  readonly #core: DecisionCore;
  readonly #redis: ClusterTransport;
  readonly #expireTimer: NodeJS.Timeout;
  readonly #queueMax: number;
  #queue: LocalChange[] = [];
  /** Changes from peers applied since the stream was last quiet. */
  #burst = 0;
  #queued = 0;
  /** Changes were dropped (queue full) or may have been (restart while some were unsent): next sync is a snapshot. */
  #resync: boolean;
  /** Mirror of meta `cluster.dirty`: set while local changes wait for Redis, so a restart knows to resync. */
  #dirty: boolean;
  #lastId: string | undefined;
  #synced = false;
  #connected: boolean | undefined;
  #closed = false;
  #flushing: Promise<void> | undefined;
  #loop: Promise<void> | undefined;
  #startedAt = 0;
  #savedAt = 0;
  #snapshotting = false;
  #overflows = 0;
  #onFirst: (() => void) | undefined;

  constructor(core: DecisionCore, opts: ClusterOptions) {
    this.#core = core;
    const store = core.store;
    let id = opts.nodeId ?? store.metaGet('cluster.nodeId');
    if (id === undefined) {
      id = `n${randomBytes(4).toString('hex')}`;
      store.metaSet('cluster.nodeId', id);
    }
    this.nodeId = id;
    this.#lastId = store.metaGet('cluster.lastId');
    this.#dirty = store.metaGet('cluster.dirty') === '1';
    this.#resync = this.#dirty;
    this.#queueMax = core.config.clusterQueueMax;
    this.#redis = new ClusterTransport({
      redisUrl: opts.redisUrl,
      prefix: opts.prefix,
      nodeId: id,
      streamMaxLen: core.config.clusterStreamMaxLen,
    });
    this.#expireTimer = setInterval(() => void this.expireShared(), EXPIRE_EVERY_MS);
    this.#expireTimer.unref();
  }

  /** Drops expired entries from the shared set (every node does it now and then; it is idempotent). */
  expireShared(): Promise<number> {
    return this.#redis.expire(this.#core.clock);
  }

  get connected(): boolean {
    return this.#connected === true;
  }

  get queued(): number {
    return this.#queued;
  }

  /** Resolves once caught up, or once Redis has proved unreachable (the node then starts on its local copy). */
  start(): Promise<void> {
    this.#startedAt = Date.now();
    const first = new Promise<void>((resolve) => {
      this.#onFirst = resolve;
    });
    this.#loop = this.#run();
    return first;
  }

  push(change: LocalChange): void {
    if (this.#closed) return;
    // Until a snapshot starts, it will push every local decision Redis lacks; once it runs, changes made meanwhile
    // may come after its scan, so they are queued as usual.
    if (this.#resync && !this.#snapshotting) return;
    if (this.#queued + change.items.length > this.#queueMax) {
      this.#queue = [];
      this.#queued = 0;
      this.#resync = true;
      this.#overflows++;
      this.#markDirty();
      // Also while connected (an import faster than Redis takes it): the follower loop resyncs at its next turn.
      this.#synced = false;
      this.#event(
        'error',
        'PC_ERR_CLUSTER_QUEUE_FULL',
        `more than ${this.#queueMax} decision changes are waiting for Redis; the queue was dropped and this node will resend its whole local set (and re-read the shared one) when Redis is reachable`,
      );
      return;
    }
    this.#queue.push(change);
    this.#queued += change.items.length;
    if (this.#connected !== true) this.#markDirty();
    void this.flush();
  }

  /** Sends queued changes now (when connected); resolves when the queue is empty or Redis failed. */
  flush(): Promise<void> {
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0 && this.#redis.status === 'ready' && this.#synced) {
      const change = this.#queue[0]!;
      try {
        await this.send(change);
      } catch (error) {
        this.#lost(error);
        return;
      }
      if (this.#queue[0] === change) {
        this.#queue.shift();
        this.#queued -= change.items.length;
      }
    }
    if (this.#queue.length === 0 && this.#dirty && this.#synced && !this.#resync) this.#clean();
  }

  /** Writes one change to Redis (cluster-transport.ts); the snapshot pushes this node's missing decisions here. */
  send(change: LocalChange): Promise<void> {
    return this.#redis.send(change);
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      try {
        if (!this.#redis.ready) {
          const starting = this.#connected === undefined && Date.now() - this.#startedAt < 3000;
          const failing = ['reconnecting', 'end', 'close'].includes(this.#redis.status);
          if (!starting || failing) this.#lost(new Error(`redis is ${this.#redis.status}`));
          await sleep(starting ? 50 : RETRY_MS / 2);
          continue;
        }
        if (!this.#synced) {
          await this.#catchUp();
          if (this.#resync) continue; // the queue overflowed during a snapshot: take another
          this.#synced = true;
          this.#setConnected(true);
          await this.flush();
          this.#first();
        }
        const entries = await this.#redis.follow(this.#lastId ?? '0-0');
        this.#applyEntries(entries);
        // A burst of changes from peers (another node's import of millions) leaves its garbage in the old space
        // as a local import does (core/heap-release.ts); collected once the stream has gone quiet.
        if (entries.length === 0) {
          releaseHeapAfterBulk(this.#burst);
          this.#burst = 0;
        }
      } catch (error) {
        if (this.#closed) return;
        this.#lost(error);
        await sleep(RETRY_MS);
      }
    }
  }

  /** From the last id read when nothing can be missing; otherwise a full snapshot of the shared set. */
  async #catchUp(): Promise<void> {
    await this.#flushQueueBeforeSync();
    if (!this.#resync && this.#lastId !== undefined) {
      const first = await this.#redis.oldestId();
      // The entry after our last one must still be in the stream (not trimmed), else we may have missed changes.
      if (first !== undefined && compareIds(first, this.#lastId) <= 0) {
        for (;;) {
          const entries = await this.#redis.readAfter(this.#lastId);
          if (entries.length === 0) break;
          this.#applyEntries(entries);
        }
        if (this.#queue.length === 0 && this.#dirty) this.#clean();
        return;
      }
    }
    this.#snapshotting = true;
    const overflowsBefore = this.#overflows;
    let top: string;
    try {
      top = await snapshot(this, this.#core, this.#redis.cmd, this.#redis.set, this.#redis.stream);
    } finally {
      this.#snapshotting = false;
    }
    this.#saveLastId(top);
    // An overflow during the snapshot dropped changes it may not have seen: the loop takes another one.
    this.#resync = this.#overflows !== overflowsBefore;
    if (!this.#resync && this.#queue.length === 0 && this.#dirty) this.#clean();
  }

  /** Changes queued while Redis was away go first, so the snapshot sees them in the shared set. */
  async #flushQueueBeforeSync(): Promise<void> {
    if (this.#resync) {
      this.#queue = [];
      this.#queued = 0;
      return;
    }
    while (this.#queue.length > 0) {
      const change = this.#queue[0]!;
      await this.send(change);
      if (this.#queue[0] === change) {
        this.#queue.shift();
        this.#queued -= change.items.length;
      }
    }
  }

  /**
   * Applies stream entries in order; consecutive entries from the same node and of the same kind are applied as
   * one SQLite transaction (one fsync), so a remote import costs a commit per read, not per entry.
   */
  #applyEntries(entries: StreamEntry[]): void {
    let run: { from: string; op: string; items: unknown[] } | undefined;
    const apply = () => {
      if (run === undefined) return;
      this.#burst += run.items.length;
      if (run.op === 'add') applyRemoteAdds(this.#core, run.from, run.items as WireAdd[]);
      else applyRemoteDels(this.#core, run.from, run.items as WireDel[]);
      run = undefined;
    };
    for (const [id, fields] of entries) {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
      const from = f['n'];
      const op = f['o'];
      if (from === undefined || from === this.nodeId || (op !== 'add' && op !== 'del') || f['d'] === undefined) {
        continue;
      }
      let items: unknown;
      try {
        items = JSON.parse(f['d']);
        if (!Array.isArray(items)) throw new Error('not a list');
      } catch (error) {
        this.#event('warn', 'PC_ERR_CLUSTER_BAD_CHANGE', `skipped change ${id} from node ${from}: ${String(error)}`);
        continue;
      }
      if (run !== undefined && (run.from !== from || run.op !== op)) apply();
      if (run === undefined) run = { from, op, items: [] };
      for (const it of items as unknown[]) run.items.push(it);
    }
    const applied = run !== undefined;
    apply();
    const last = entries[entries.length - 1];
    if (last === undefined) return;
    this.#lastId = last[0];
    // Our own entries need no commit each (re-reading them after a crash only skips them again).
    if (applied || Date.now() - this.#savedAt > 5000) this.#saveLastId(last[0]);
  }

  #saveLastId(id: string): void {
    this.#lastId = id;
    this.#savedAt = Date.now();
    this.#core.store.metaSet('cluster.lastId', id);
  }

  #markDirty(): void {
    if (this.#dirty) return;
    this.#dirty = true;
    this.#core.store.metaSet('cluster.dirty', '1');
  }

  #clean(): void {
    this.#dirty = false;
    this.#core.store.metaSet('cluster.dirty', '0');
  }

  #lost(error: unknown): void {
    this.#synced = false;
    this.#setConnected(false, error);
    this.#first();
  }

  #first(): void {
    const f = this.#onFirst;
    this.#onFirst = undefined;
    f?.();
  }

  #setConnected(connected: boolean, error?: unknown): void {
    if (connected === this.#connected) return;
    const before = this.#connected;
    this.#connected = connected;
    if (connected && before === undefined) return;
    if (connected) {
      this.#event('info', 'PC_ERR_CLUSTER_UNREACHABLE', 'Redis for shared decisions is reachable again; caught up');
    } else {
      this.#event(
        'warn',
        'PC_ERR_CLUSTER_UNREACHABLE',
        `Redis for shared decisions is unreachable (${error instanceof Error ? error.message : String(error)}); this node keeps serving and accepting decisions locally and sends them when Redis is back`,
      );
    }
  }

  #event(level: 'info' | 'warn' | 'error', code: string, message: string): void {
    const now = this.#core.clock.now();
    this.#core.events.publish({ type: 'system', id: newIncidentId(now), time: now, level, code, message });
  }

  /** Tries once more to send what is queued, then disconnects. Undelivered changes are resent after a restart. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await Promise.race([this.flush(), sleep(2000)]);
    this.#closed = true;
    clearInterval(this.#expireTimer);
    if (this.#lastId !== undefined) this.#saveLastId(this.#lastId);
    this.#first();
    this.#redis.disconnect();
    await this.#loop;
  }
}

/** Stream ids are `<ms>-<seq>`. */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}
