import { Redis } from 'ioredis';
import { ADD_SCRIPT, DEL_SCRIPT, EXPIRE_SCRIPT, PRUNE_SCRIPT } from './cluster-scripts.ts';
import type { LocalChange } from './cluster-wire.ts';
import { fieldOf } from './cluster-wire.ts';

/** Entries per script call; a push of a 1 M-line import is 1,000 calls, 50 per pipeline round trip. */
const CHUNK = 1000;
const CALLS_PER_ROUND_TRIP = 50;
export const RETRY_MS = 500;
/** Stream entries per read: each holds up to CHUNK changes, so one read applies at most 20,000. */
const READ_ENTRIES = 20;

export type RedisWithScripts = Redis & {
  pcAdd(set: string, stream: string, expiry: string, ...args: (string | number)[]): Promise<number>;
  pcExpire(set: string, expiry: string, now: number, limit: number): Promise<number>;
  pcDel(set: string, stream: string, ...args: (string | number)[]): Promise<number>;
  pcPrune(set: string, ...args: string[]): Promise<number>;
};

/** One change stream entry: its id and its fields as a flat `[name, value, …]` list. */
export type StreamEntry = [string, string[]];

function connect(url: string): RedisWithScripts {
  const r = new Redis(url, {
    // Fail fast instead of queueing inside ioredis: our own queue is bounded and reported (PC_ERR_CLUSTER_QUEUE_FULL).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: () => RETRY_MS,
  });
  r.on('error', () => {}); // outages are reported once through events, by the replicator
  r.defineCommand('pcAdd', { numberOfKeys: 3, lua: ADD_SCRIPT });
  r.defineCommand('pcExpire', { numberOfKeys: 2, lua: EXPIRE_SCRIPT });
  r.defineCommand('pcDel', { numberOfKeys: 2, lua: DEL_SCRIPT });
  r.defineCommand('pcPrune', { numberOfKeys: 1, lua: PRUNE_SCRIPT });
  return r as RedisWithScripts;
}

export interface TransportOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly nodeId: string;
  readonly streamMaxLen: number;
}

/**
 * The two Redis connections of one cluster node and everything said over them: the script calls that write the
 * shared set and change stream, the stream reads, and the expiry of the shared set. Apart from cluster.ts so the
 * replicator there holds only the rules (queue, catch-up, resync, outages), not ioredis's commands and pipelines.
 * The set and the stream are drawn in cluster-wire.ts.
 */
export class ClusterTransport {
  /** Commands and non-blocking reads (cluster-snapshot.ts uses it too). */
  readonly cmd: RedisWithScripts;
  /** Blocking stream reads only, so a read waiting for changes never holds up a send. */
  readonly #reader: Redis;
  readonly set: string;
  readonly stream: string;
  readonly #expiry: string;
  readonly #nodeId: string;
  readonly #streamMaxLen: number;

  constructor(opts: TransportOptions) {
    this.set = `${opts.prefix}decisions:set`;
    this.stream = `${opts.prefix}decisions:changes`;
    this.#expiry = `${opts.prefix}decisions:expiry`;
    this.#nodeId = opts.nodeId;
    this.#streamMaxLen = opts.streamMaxLen;
    this.cmd = connect(opts.redisUrl);
    this.#reader = connect(opts.redisUrl);
  }

  /** ioredis's status of the command connection (`ready`, `reconnecting`, `end`, …). */
  get status(): string {
    return this.cmd.status;
  }

  /** Both connections are up. */
  get ready(): boolean {
    return this.cmd.status === 'ready' && this.#reader.status === 'ready';
  }

  /** Drops expired entries from the shared set (every node does it now and then; it is idempotent). */
  async expire(clock: { now(): number }): Promise<number> {
    if (this.cmd.status !== 'ready') return 0;
    let total = 0;
    try {
      for (;;) {
        const n = await this.cmd.pcExpire(this.set, this.#expiry, clock.now(), CHUNK);
        total += n;
        if (n < CHUNK) return total;
      }
    } catch {
      return total; // an outage is reported by the follower loop
    }
  }

  /** Writes one change to Redis in pipelined script calls of CHUNK entries. */
  async send(change: LocalChange): Promise<void> {
    const args: string[] = [];
    let calls = 0;
    let p = this.cmd.pipeline() as unknown as RedisWithScripts;
    const round = async (force: boolean) => {
      if (args.length === 0 && !force) return;
      if (args.length > 0) {
        if (change.op === 'add')
          p.pcAdd(this.set, this.stream, this.#expiry, this.#nodeId, this.#streamMaxLen, ...args);
        else p.pcDel(this.set, this.stream, this.#nodeId, this.#streamMaxLen, ...args);
        args.length = 0;
        calls++;
      }
      if (calls >= CALLS_PER_ROUND_TRIP || (force && calls > 0)) {
        const results = (await (p as unknown as ReturnType<Redis['pipeline']>).exec()) ?? [];
        for (const [error] of results) if (error) throw error;
        p = this.cmd.pipeline() as unknown as RedisWithScripts;
        calls = 0;
      }
    };
    if (change.op === 'add') {
      for (const w of change.items) {
        args.push(fieldOf(w), JSON.stringify(w));
        if (args.length >= CHUNK * 2) await round(false);
      }
    } else {
      for (const w of change.items) {
        args.push(fieldOf(w), w.g, JSON.stringify(w));
        if (args.length >= CHUNK * 3) await round(false);
      }
    }
    await round(true);
  }

  /** Waits up to a second for stream entries after `after` (on the reader connection); [] if none came. */
  async follow(after: string): Promise<StreamEntry[]> {
    const reply = (await this.#reader.xread('COUNT', READ_ENTRIES, 'BLOCK', 1000, 'STREAMS', this.stream, after)) as
      | [string, StreamEntry[]][]
      | null;
    return reply === null ? [] : (reply[0]?.[1] ?? []);
  }

  /** Stream entries after `after` that are already there, without waiting; [] at the end of the stream. */
  async readAfter(after: string): Promise<StreamEntry[]> {
    const reply = (await this.cmd.xread('COUNT', READ_ENTRIES, 'STREAMS', this.stream, after)) as
      | [string, StreamEntry[]][]
      | null;
    return reply?.[0]?.[1] ?? [];
  }

  /** Id of the oldest entry still in the stream (older ones were trimmed), or undefined when it is empty. */
  async oldestId(): Promise<string | undefined> {
    return (await this.cmd.xrange(this.stream, '-', '+', 'COUNT', 1))[0]?.[0];
  }

  disconnect(): void {
    this.cmd.disconnect();
    this.#reader.disconnect();
  }
}
