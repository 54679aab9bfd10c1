import type { Decision, DecisionAction, DecisionSource } from '../core/decision.ts';
import { releaseHeapAfterBulk } from '../core/heap-release.ts';
import type { WireAdd } from './cluster-wire.ts';
import type { DecisionCore } from './core.ts';
import { gatePutProfile } from './gate-write.ts';
import { formatId } from './ids.ts';
import { type ImportEntry, type ImportFormat, LINE_FORMATS, parseLine } from './import-formats.ts';
import { parseCrowdsecImport, parseJsonImport } from './import-json.ts';
import { type ByteSource, readAll, readLines, TooLargeError } from './line-reader.ts';
import { IMPORT_CACHE_KIB, STEADY_CACHE_KIB } from './sqlite-schema.ts';
import { STAGE_MAX_ROWS, V4Stage } from './import-stage.ts';
import { parseTarget, type Target } from './target.ts';

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function shrink(core: DecisionCore): void {
  core.store.db.pragma(`cache_size = -${STEADY_CACHE_KIB}`);
  core.store.db.pragma('shrink_memory');
}

export interface ImportOptions {
  readonly format: ImportFormat;
  /** Source becomes `import:<name>`; defaults to the format name. */
  readonly name?: string | undefined;
  readonly action?: DecisionAction | undefined;
  readonly ttlMs?: number | undefined;
  readonly reason?: string | undefined;
  readonly by: string;
}

export interface ImportReport {
  readonly format: ImportFormat;
  readonly source: DecisionSource;
  readonly lines: number;
  readonly accepted: number;
  readonly rejected: number;
  /** The first `importMaxReportedErrors` rejected lines: line number and what to fix. */
  readonly errors: { line: number; error: string }[];
  readonly errorsTruncated: boolean;
  readonly bytes: number;
  readonly durationMs: number;
  /** Set when the upload was cut off for size; what was accepted before that point is kept. */
  readonly refused?: string;
}

/** What the lines of an import share: one SQL profile row and one gate profile per (action, ttl, reason). */
interface ImportProfile {
  readonly sql: number;
  readonly gate: number;
  readonly action: DecisionAction;
  readonly reason: string;
  readonly expiresAt: number | undefined;
}

interface Row {
  t: Target;
  prof: number;
}

/**
 * Streams an upload in and writes it to the store and the gate. A bad line is counted and reported and never
 * affects its neighbours.
 *
 * Accepted lines are staged first (IPv4 addresses and v4 prefixes packed in import-stage.ts, anything else as
 * objects) and written once the upload has been read, in address order, `importBatchRows` rows a transaction, the
 * event loop served between transactions — so the store's value index is written about once instead of once per
 * batch (import-stage.ts says why). The API answers after the last commit, so every accepted line is durable
 * before it returns; a crash mid-import loses the import, never a decision that was already acknowledged.
 * All entries of one import share the import's start time, so entries with equal (action, ttl, reason) share one
 * profile row and one gate profile.
 */
export async function runImport(core: DecisionCore, body: ByteSource, o: ImportOptions): Promise<ImportReport> {
  const cfg = core.config;
  const started = core.clock.now();
  // A refresh keeps its decision's cluster id, so peers take it only if its createdAt is later than the version
  // they hold (cluster-apply.ts), which may be stamped by a node whose clock runs ahead, or in this very ms.
  const createdAt = Math.max(started, core.store.latestCreatedAt() + 1);
  const source: DecisionSource = `import:${o.name ?? o.format}`;
  const defAction = o.action ?? 'block';
  const defTtl = o.ttlMs ?? (cfg.importDefaultTtlMs > 0 ? cfg.importDefaultTtlMs : undefined);
  const defReason = o.reason ?? `imported from ${o.name ?? o.format}`;
  const errors: { line: number; error: string }[] = [];
  let rejected = 0;
  let accepted = 0;
  let events = 0;
  const profiles: ImportProfile[] = [];
  const profileIndex = new Map<string, number>();
  let last = { action: '', ttlMs: undefined as number | undefined, reason: '', prof: -1 };
  const v4 = new V4Stage();
  let rest: Row[] = [];

  const reject = (line: number, error: string) => {
    rejected++;
    if (errors.length < cfg.importMaxReportedErrors) errors.push({ line, error });
  };
  const profileFor = (action: DecisionAction, ttlMs: number | undefined, reason: string): number => {
    // Consecutive lines nearly always share action, ttl and reason: skip the key string for those.
    if (action === last.action && ttlMs === last.ttlMs && reason === last.reason) return last.prof;
    const key = `${action}\u0000${ttlMs ?? ''}\u0000${reason}`;
    let prof = profileIndex.get(key);
    if (prof === undefined) {
      const expiresAt = ttlMs === undefined ? undefined : started + ttlMs;
      const sql = core.store.tx(() =>
        core.store.insertProfile({ action, reason, source, expiresAt, createdBy: o.by, createdAt }),
      );
      prof = profiles.length;
      profiles.push({ sql, gate: core.gate.profiles.acquire(action, reason, expiresAt, 1), action, reason, expiresAt });
      profileIndex.set(key, prof);
    }
    last = { action, ttlMs, reason, prof };
    return prof;
  };
  const take = (e: ImportEntry, line: number) => {
    const r = parseTarget(e.kind, e.value);
    if (!r.ok) {
      reject(line, r.error);
      return;
    }
    const prof = profileFor(e.action ?? defAction, e.ttlMs ?? defTtl, e.reason ?? defReason);
    const t = r.target;
    if (t.kind === 'ip' && t.family === 4) v4.push(t.v4, undefined, prof);
    else if (t.kind === 'cidr' && t.family === 4) v4.push(t.v4, t.bits, prof);
    else rest.push({ t, prof });
  };

  /** One transaction: rows grouped by (kind, profile), each group one INSERT … SELECT FROM json_each. */
  const write = (rows: Row[]) => {
    if (rows.length === 0) return;
    const groups = new Map<string, { kind: Target['kind']; prof: ImportProfile; rows: Row[] }>();
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      // A target listed twice is adjacent here (sorted by target, then line): the later line is the one kept,
      // whatever group (profile) each line falls in.
      const next = rows[i + 1];
      if (next !== undefined && next.t.kind === r.t.kind && next.t.value === r.t.value) continue;
      const gk = `${r.t.kind}\u0000${r.prof}`;
      let g = groups.get(gk);
      if (g === undefined) groups.set(gk, (g = { kind: r.t.kind, prof: profiles[r.prof]!, rows: [] }));
      g.rows.push(r);
    }
    // Targets already stored keep their ids (sqlite-store.ts): a re-imported feed refreshes, it does not grow ids.
    // Ids below the store's next id before this batch were kept, so their events say `refreshed`.
    const firstNew = core.store.nextId;
    const idsOf = core.store.tx(() =>
      [...groups.values()].map((g) =>
        core.store.insertDecisionsBulk(
          g.kind,
          g.prof.action,
          g.prof.sql,
          g.rows.map((r) => r.t.value),
        ),
      ),
    );
    core.profilesDirty = true;
    const wire: WireAdd[] | undefined = core.sink === undefined ? undefined : [];
    const node = core.sink?.nodeId;
    let gi = 0;
    for (const g of groups.values()) {
      const ids = idsOf[gi++]!;
      const p = g.prof;
      for (let i = 0; i < g.rows.length; i++) {
        const t = g.rows[i]!.t;
        const id = ids[i]!;
        gatePutProfile(core.gate, t, id, p.gate);
        if (wire !== undefined) {
          const w = { g: `${node}-${id}`, k: t.kind, v: t.value, a: p.action, r: p.reason, s: source, b: o.by };
          wire.push(p.expiresAt === undefined ? { ...w, t: createdAt } : { ...w, t: createdAt, e: p.expiresAt });
        }
        if (events++ >= cfg.bulkEventLimit) continue;
        const d: Decision = {
          id: formatId(id),
          kind: t.kind,
          value: t.value,
          action: p.action,
          reason: p.reason,
          source,
          createdBy: o.by,
          createdAt,
          ...(p.expiresAt === undefined ? {} : { expiresAt: p.expiresAt }),
        };
        core.publish(id < firstNew ? 'refreshed' : 'created', d, o.by);
      }
    }
    accepted += rows.length;
    if (wire !== undefined) core.sink?.push({ op: 'add', items: wire });
  };

  /** Writes everything staged so far, in order; yields to the event loop between transactions. */
  const writeStaged = async () => {
    for (const rows of v4.drain(cfg.importBatchRows)) {
      write(rows);
      await yieldToLoop();
    }
    // Other kinds (IPv6, fingerprints, principals) are few in practice; sorted by kind and text, stable for repeats.
    const others = rest;
    rest = [];
    others.sort((x, y) =>
      x.t.kind !== y.t.kind
        ? x.t.kind < y.t.kind
          ? -1
          : 1
        : x.t.value < y.t.value
          ? -1
          : x.t.value > y.t.value
            ? 1
            : 0,
    );
    for (let i = 0; i < others.length; i += cfg.importBatchRows) {
      write(others.slice(i, i + cfg.importBatchRows));
      await yieldToLoop();
    }
  };
  /** Called per accepted line: a very long upload is written out in segments (import-stage.ts). */
  const segmentFull = () => v4.size + rest.length >= STAGE_MAX_ROWS;

  let bytes = 0;
  let lines = 0;
  let refused: string | undefined;
  let failure: unknown;
  // A bigger page cache while importing keeps more of the unique index in memory (random inserts); given back after.
  core.store.db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    if (LINE_FORMATS.includes(o.format)) {
      const r = await readLines(body, cfg.importMaxBytes, cfg.importMaxLineBytes, {
        line(text, no) {
          const res = parseLine(o.format, text);
          if (res === null) return;
          if (typeof res === 'string') reject(no, res);
          else take(res, no);
        },
        chunkDone: () => (segmentFull() ? writeStaged() : undefined),
        overlong: (no) => reject(no, `line longer than ${cfg.importMaxLineBytes} bytes`),
      });
      bytes = r.bytes;
      lines = r.lines;
    } else {
      const text = await readAll(body, Math.min(cfg.importJsonMaxBytes, cfg.importMaxBytes));
      bytes = Buffer.byteLength(text);
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        doc = undefined;
        reject(1, `not valid JSON: ${(e as Error).message}`);
      }
      if (doc !== undefined) {
        const items = o.format === 'crowdsec' ? parseCrowdsecImport(doc) : parseJsonImport(doc);
        if (typeof items === 'string') reject(1, items);
        else {
          lines = items.length;
          for (let i = 0; i < items.length; i++) {
            const it = items[i]!;
            if ('error' in it) reject(i + 1, it.error);
            else take(it.entry, i + 1);
            if (segmentFull()) await writeStaged();
          }
        }
      }
    }
  } catch (e) {
    // Too large: the lines read so far are imported and reported. Anything else (the upload broke off, a bug) is
    // rethrown below, after what was accepted is written, its gate references returned, and the audit log told.
    if (e instanceof TooLargeError)
      refused = `upload larger than ${e.limit} bytes: stopped reading there; split the file or raise decisions.importMaxBytes`;
    else failure = e;
  }
  try {
    await writeStaged();
  } catch (e) {
    failure ??= e;
  }
  shrink(core);
  // The import held one reference on each gate profile it made; without this a failed import kept them for good
  // (the profiles never freed, and an allow among them kept every lookup probing for allows).
  for (const p of profiles) core.gate.profiles.release(p.gate);
  // Millions of staged rows leave V8's old space full of dead pages, which slow every later minor GC.
  releaseHeapAfterBulk(lines);
  const finished = core.clock.now();
  const report: ImportReport = {
    format: o.format,
    source,
    lines,
    accepted,
    rejected,
    errors,
    errorsTruncated: rejected > errors.length,
    bytes,
    durationMs: finished - started,
    ...(refused === undefined ? {} : { refused }),
  };
  core.store.tx(() =>
    core.store.audit(finished, o.by, 'import', source, {
      reason: defReason,
      format: o.format,
      accepted,
      rejected,
      lines,
      action: defAction,
      ttlMs: defTtl ?? null,
      ...(refused === undefined ? {} : { refused }),
      ...(failure === undefined ? {} : { failed: failure instanceof Error ? failure.message : String(failure) }),
    }),
  );
  if (events > cfg.bulkEventLimit) {
    core.publishSummary(
      `import ${source} by ${o.by}: ${accepted} decisions (${events - cfg.bulkEventLimit} not listed)`,
    );
  }
  if (failure !== undefined) throw failure;
  return report;
}
