import { Redis } from 'ioredis';
import type { Clock } from '../core/clock.ts';
import {
  bucketIndex,
  type CounterStore,
  type CounterStoreStats,
  type DistinctSpec,
  MemoryCounterStore,
  type SeriesSpec,
  slotsOf,
} from './counter-store.ts';
import { CappedLru } from './lru.ts';

export interface RedisCounterStoreOptions {
  /** `redis://127.0.0.1:6379/0`; ignored when `client` is given. */
  readonly url?: string;
  readonly client?: Redis;
  /** Every key starts with this; nodes of one cluster share it. */
  readonly prefix?: string;
  /** How often local deltas are pushed and remote totals pulled. */
  readonly flushMs?: number;
  readonly clock: Clock;
  /** Keys whose remote totals are refreshed per sync (the most recently read ones). */
  readonly maxPullKeys?: number;
  /** Called when Redis becomes unreachable (once per outage) and when it comes back. */
  readonly onStatus?: (connected: boolean, error?: unknown) => void;
}

interface Remote {
  value: number;
  localAtPull: number;
  pulledAt: number;
}

/**
 * Counters aggregated across gateway nodes through Redis, without the request path ever waiting on it.
 *
 *   request ──► local ring (exact, this node) ──► pending delta ──(every flushMs, one pipeline)──► INCRBY / PFADD
 *   read    ◄── max(local, remote total + local growth since the pull) ◄── MGET / PFCOUNT of recently read keys
 *
 * Redis holds one key per series, facet and bucket (`<prefix>c:<series>:<key>:<bucket>`) expiring one window
 * after its bucket, so no node ever sweeps. Distinct members use one HyperLogLog per bucket and PFCOUNT over the
 * window's buckets returns their union (≈0.81 % standard error, https://redis.io/docs/latest/develop/data-types/probabilistic/hyperloglogs/).
 * If Redis is down, deltas are dropped (they stay counted locally) and reads fall back to local counts once the
 * last remote total is older than two flush intervals: a node alone is still a working gateway.
 */
export class RedisCounterStore implements CounterStore {
  readonly kind = 'redis' as const;
  readonly #local = new MemoryCounterStore();
  readonly #redis: Redis;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #flushMs: number;
  readonly #clock: Clock;
  readonly #maxPull: number;
  readonly #onStatus: (connected: boolean, error?: unknown) => void;
  #counts = new Map<string, { n: number; ttlMs: number }>();
  #members = new Map<string, { members: Set<string>; ttlMs: number }>();
  readonly #reads: CappedLru<string, { spec: SeriesSpec | DistinctSpec; key: string; distinct: boolean }>;
  readonly #remote = new CappedLru<string, Remote>(100_000);
  readonly #timer: NodeJS.Timeout;
  #syncing: Promise<void> | undefined;
  /** undefined until the first sync tells us. */
  #connected: boolean | undefined;

  constructor(options: RedisCounterStoreOptions) {
    this.#ownsClient = options.client === undefined;
    this.#redis =
      options.client ??
      new Redis(options.url ?? 'redis://127.0.0.1:6379', {
        // Fail fast instead of queueing: a queued command is memory the gateway cannot bound.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        lazyConnect: false,
        retryStrategy: () => 1000,
      });
    this.#redis.on('error', () => {}); // outages are reported through onStatus, once
    this.#prefix = options.prefix ?? 'pc:';
    this.#flushMs = options.flushMs ?? 250;
    this.#clock = options.clock;
    this.#maxPull = options.maxPullKeys ?? 2000;
    this.#onStatus = options.onStatus ?? (() => {});
    this.#reads = new CappedLru(this.#maxPull);
    this.#timer = setInterval(() => void this.sync(), this.#flushMs);
    this.#timer.unref();
  }

  add(spec: SeriesSpec, key: string, now: number, n = 1): void {
    this.#local.add(spec, key, now, n);
    // A key this node writes is one it will read: pull its total too, or a ratio of two series could mix a
    // cluster-wide numerator with a local denominator.
    this.#reads.set(`c\u0000${spec.name}\u0000${key}`, { spec, key, distinct: false });
    const rk = `${this.#prefix}c:${spec.name}:${key}:${bucketIndex(spec, now)}`;
    const pending = this.#counts.get(rk);
    if (pending) pending.n += n;
    else if (this.#counts.size < 100_000) this.#counts.set(rk, { n, ttlMs: spec.windowMs + spec.bucketMs });
  }

  sum(spec: SeriesSpec, key: string, now: number): number {
    const local = this.#local.sum(spec, key, now);
    const id = `c\u0000${spec.name}\u0000${key}`;
    this.#reads.set(id, { spec, key, distinct: false });
    const remote = this.#fresh(id, spec);
    return remote ? Math.max(local, remote.value + local - remote.localAtPull) : local;
  }

  addDistinct(spec: DistinctSpec, key: string, member: string, now: number): void {
    this.#local.addDistinct(spec, key, member, now);
    this.#reads.set(`d\u0000${spec.name}\u0000${key}`, { spec, key, distinct: true });
    const rk = `${this.#prefix}d:${spec.name}:${key}:${bucketIndex(spec, now)}`;
    const pending = this.#members.get(rk);
    if (pending) pending.members.add(member);
    else if (this.#members.size < 100_000)
      this.#members.set(rk, { members: new Set([member]), ttlMs: spec.windowMs + spec.bucketMs });
  }

  distinct(spec: DistinctSpec, key: string, now: number): number {
    const local = this.#local.distinct(spec, key, now);
    const id = `d\u0000${spec.name}\u0000${key}`;
    this.#reads.set(id, { spec, key, distinct: true });
    const remote = this.#fresh(id, spec);
    return remote ? Math.max(local, Math.min(remote.value, spec.maxMembers)) : local;
  }

  /**
   * A pulled total stays usable for one bucket (at least two flush intervals): within a bucket the window has not
   * slid, so the total plus local growth is still right. Older, the node falls back to its own counts, which
   * under-count but never mix two moments (a fresh numerator over a stale denominator).
   */
  #fresh(id: string, spec: SeriesSpec): Remote | undefined {
    const remote = this.#remote.get(id);
    if (!remote) return undefined;
    return this.#clock.now() - remote.pulledAt <= Math.max(2 * this.#flushMs + 1000, spec.bucketMs)
      ? remote
      : undefined;
  }

  sync(): Promise<void> {
    this.#syncing ??= this.#sync().finally(() => {
      this.#syncing = undefined;
    });
    return this.#syncing;
  }

  async #sync(): Promise<void> {
    if (this.#redis.status !== 'ready') {
      // Deltas wait (capped at insert) for the connection; reads already use local counts.
      this.#setConnected(false, new Error(`redis is ${this.#redis.status}`));
      return;
    }
    const counts = this.#counts;
    const members = this.#members;
    this.#counts = new Map();
    this.#members = new Map();
    const now = this.#clock.now();
    const pipeline = this.#redis.pipeline();
    for (const [rk, { n, ttlMs }] of counts) pipeline.incrbyfloat(rk, n).pexpire(rk, ttlMs);
    for (const [rk, { members: m, ttlMs }] of members) pipeline.pfadd(rk, ...m).pexpire(rk, ttlMs);
    const pulls: { id: string; localAtPull: number }[] = [];
    for (const [id, read] of this.#reads.entries()) {
      const { spec, key, distinct } = read;
      const last = bucketIndex(spec, now);
      const keys: string[] = [];
      for (let i = last - slotsOf(spec) + 1; i <= last; i++)
        keys.push(`${this.#prefix}${distinct ? 'd' : 'c'}:${spec.name}:${key}:${i}`);
      if (distinct) pipeline.pfcount(...keys);
      else pipeline.mget(...keys);
      pulls.push({ id, localAtPull: distinct ? 0 : this.#local.sum(spec, key, now) });
    }
    this.#reads.clear();
    try {
      const results = (await pipeline.exec()) ?? [];
      const offset = results.length - pulls.length;
      pulls.forEach((pull, i) => {
        const [error, reply] = results[offset + i] ?? [new Error('missing reply'), null];
        if (error) return;
        const value = Array.isArray(reply)
          ? reply.reduce((acc: number, v) => acc + (v === null ? 0 : Number(v)), 0)
          : Number(reply);
        this.#remote.set(pull.id, { value, localAtPull: pull.localAtPull, pulledAt: now });
      });
      this.#setConnected(true);
    } catch (error) {
      this.#setConnected(false, error);
    }
  }

  #setConnected(connected: boolean, error?: unknown): void {
    if (connected === this.#connected) return;
    this.#connected = connected;
    this.#onStatus(connected, error);
  }

  stats(): CounterStoreStats {
    const local = this.#local.stats();
    return { kind: 'redis', keys: local.keys, evictions: local.evictions, connected: this.#connected === true };
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.sync();
    if (this.#ownsClient) this.#redis.disconnect();
    await this.#local.close();
  }
}
