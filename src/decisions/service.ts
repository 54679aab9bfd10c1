import { Readable } from 'node:stream';
import type { Clock } from '../core/clock.ts';
import type { Decision, DecisionGate, DecisionKind, DecisionWriter, NewDecision } from '../core/decision.ts';
import type { Facet } from '../core/facet.ts';
import type { EventBus } from '../events/bus.ts';
import { type ClusterOptions, ClusterReplicator } from './cluster.ts';
import type { DecisionsConfig } from './config.ts';
import { DecisionCore } from './core.ts';
import { type Explanation, explain } from './explain.ts';
import { type ExportFormat, exportDecisions } from './export.ts';
import type { DecisionFilter } from './filter.ts';
import { GateIndex } from './gate.ts';
import { loadGate } from './gate-load.ts';
import { parseId } from './ids.ts';
import { type ImportOptions, type ImportReport, runImport } from './importer.ts';
import type { ByteSource } from './line-reader.ts';
import { addDecision, bulkRemove, removeDecision } from './mutations.ts';
import { openDatabase } from './sqlite-schema.ts';
import { type AuditEntry, SqliteStore } from './sqlite-store.ts';
import { sweepExpired } from './sweep.ts';

export interface SearchPage {
  readonly items: readonly Decision[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

export interface DecisionStats {
  readonly gateEntries: number;
  readonly ip4: number;
  readonly ip6: number;
  readonly cidr4: number;
  readonly cidr6: number;
  readonly facets: number;
  readonly profiles: number;
  readonly loadedAtStart: number;
  readonly loadMs: number;
  /** Cluster mode only: this node's id, whether Redis is reachable, changes waiting to be sent. */
  readonly cluster?: { nodeId: string; connected: boolean; queued: number };
}

/** Everything the gateway, admin API and CLI do with decisions (see docs/decisions.md). */
export interface DecisionService extends DecisionWriter {
  readonly gate: DecisionGate;
  /** Largest import upload accepted, bytes (decisions.importMaxBytes). */
  readonly importLimit: number;
  get(id: string): Decision | undefined;
  remove(id: string, by: string, reason?: string): Promise<Decision>;
  search(filter: DecisionFilter, page?: { cursor?: string | undefined; limit?: number | undefined }): SearchPage;
  count(filter: DecisionFilter): number;
  /** Deletes every decision matching the filter (which must not be empty); returns how many. */
  removeMatching(filter: DecisionFilter, by: string, reason?: string): Promise<number>;
  import(body: ByteSource, opts: ImportOptions): Promise<ImportReport>;
  export(filter: DecisionFilter, format: ExportFormat, setName?: string): Readable;
  explain(ip: string, facets?: readonly Facet[]): Explanation | undefined;
  audit(page?: { cursor?: string | undefined; limit?: number | undefined }): {
    items: AuditEntry[];
    nextCursor?: string;
  };
  stats(): DecisionStats;
  /** Cluster mode only: this node's id, whether Redis is reachable, and changes waiting to be sent. */
  cluster(): { nodeId: string; connected: boolean; queued: number } | undefined;
  /** Runs the expiry sweep now (the service also runs it every `sweepIntervalMs`). */
  sweep(): number;
  close(): Promise<void>;
}

export interface DecisionServiceOptions {
  dataDir: string;
  clock: Clock;
  events: EventBus;
  config: DecisionsConfig;
  /**
   * Cluster mode: share decisions with every node using the same Redis and prefix (cluster.ts). Absent: this
   * node's decisions are its own.
   */
  cluster?: ClusterOptions | undefined;
}

export async function openDecisionService(opts: DecisionServiceOptions): Promise<DecisionService> {
  const db = openDatabase(opts.dataDir, opts.config.synchronous);
  const store = new SqliteStore(db);
  const gate = new GateIndex(opts.clock);
  const core = new DecisionCore(store, gate, opts.clock, opts.events, opts.config);
  const t0 = performance.now();
  // Expired rows go first, so a restart never brings back a decision whose time has passed.
  sweepExpired(core);
  const loaded = loadGate(gate, store, opts.clock.now());
  db.pragma('shrink_memory');
  let replicator: ClusterReplicator | undefined;
  if (opts.cluster !== undefined) {
    replicator = new ClusterReplicator(core, opts.cluster);
    core.sink = replicator;
    // Caught up with the other nodes before we report ready, unless Redis is unreachable (then: local copy).
    await replicator.start();
  }
  const loadMs = performance.now() - t0;
  const timer = setInterval(() => sweepExpired(core), opts.config.sweepIntervalMs);
  timer.unref();
  let closed = false;

  const service: DecisionService = {
    gate,
    importLimit: opts.config.importMaxBytes,
    add: async (d: NewDecision, by: string) => addDecision(core, d, by),
    history: (kind: DecisionKind, value: string) => core.store.onTarget(kind, value, core.clock.now()),
    get(id) {
      const n = parseId(id);
      return n === undefined ? undefined : store.get(n, opts.clock.now());
    },
    remove: async (id, by, reason) => removeDecision(core, id, by, reason),
    search(filter, page = {}) {
      const limit = Math.min(page.limit ?? opts.config.searchDefaultLimit, opts.config.searchMaxLimit);
      const before = page.cursor === undefined ? undefined : parseId(page.cursor);
      const items = store.search(filter, opts.clock.now(), before, limit);
      const last = items[items.length - 1];
      return items.length === limit && last !== undefined ? { items, nextCursor: last.id } : { items };
    },
    count: (filter) => store.count(filter, opts.clock.now()),
    removeMatching: (filter, by, reason) => bulkRemove(core, filter, by, reason),
    import: (body, o) => runImport(core, body, o),
    export: (filter, format, setName) =>
      Readable.from(exportDecisions(store, filter, format, opts.clock.now(), setName), { objectMode: false }),
    explain: (ip, facets = []) => explain(core, ip, facets),
    audit(page = {}) {
      const limit = Math.min(page.limit ?? opts.config.searchDefaultLimit, opts.config.searchMaxLimit);
      const before = page.cursor === undefined ? undefined : Number(page.cursor);
      const items = store.auditPage(Number.isInteger(before) ? before : undefined, limit);
      const last = items[items.length - 1];
      return items.length === limit && last !== undefined ? { items, nextCursor: String(last.id) } : { items };
    },
    stats: () => ({
      gateEntries: gate.size,
      ip4: gate.ip4.size,
      ip6: gate.ip6.size,
      cidr4: gate.cidr4.size,
      cidr6: gate.cidr6.size,
      facets: gate.others.size,
      profiles: gate.profiles.count,
      loadedAtStart: loaded,
      loadMs: Math.round(loadMs),
      ...(replicator === undefined
        ? {}
        : { cluster: { nodeId: replicator.nodeId, connected: replicator.connected, queued: replicator.queued } }),
    }),
    sweep: () => sweepExpired(core),
    cluster: () =>
      replicator === undefined
        ? undefined
        : { nodeId: replicator.nodeId, connected: replicator.connected, queued: replicator.queued },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await replicator?.close();
      db.close();
    },
  };
  return service;
}
