import type { Decision, DecisionAction, DecisionSource } from '../core/decision.ts';
import type { WireAdd } from './cluster-wire.ts';
import type { DecisionCore } from './core.ts';
import { gatePutProfile } from './gate-write.ts';
import { formatId } from './ids.ts';
import { type ImportEntry, type ImportFormat, LINE_FORMATS, parseLine } from './import-formats.ts';
import { parseCrowdsecImport, parseJsonImport } from './import-json.ts';
import { type ByteSource, readAll, readLines, TooLargeError } from './line-reader.ts';
import { IMPORT_CACHE_KIB, STEADY_CACHE_KIB } from './sqlite-schema.ts';
import { parseTarget, type Target } from './target.ts';

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

interface Pending {
  t: Target;
  action: DecisionAction;
  ttlMs: number | undefined;
  reason: string;
}

/**
 * Streams an upload into the store in batches of `importBatchRows`: each batch is one SQLite transaction (one
 * fsync), then goes into the gate. A bad line is counted and reported and never affects its neighbours.
 * All entries of one import share the import's start time, so entries with equal (action, ttl, reason) share one
 * profile row and one gate profile.
 */
export async function runImport(core: DecisionCore, body: ByteSource, o: ImportOptions): Promise<ImportReport> {
  const cfg = core.config;
  const started = core.clock.now();
  const source: DecisionSource = `import:${o.name ?? o.format}`;
  const defAction = o.action ?? 'block';
  const defTtl = o.ttlMs ?? (cfg.importDefaultTtlMs > 0 ? cfg.importDefaultTtlMs : undefined);
  const defReason = o.reason ?? `imported from ${o.name ?? o.format}`;
  const errors: { line: number; error: string }[] = [];
  let rejected = 0;
  let accepted = 0;
  let events = 0;
  let batch: Pending[] = [];
  /** (action, ttl, reason) → [SQL profile id, gate profile index held for the import's duration]. */
  const profiles = new Map<string, [number, number]>();
  let last: { action: string; ttlMs: number | undefined; reason: string; profile: [number, number] | undefined } = {
    action: '',
    ttlMs: undefined,
    reason: '',
    profile: undefined,
  };

  const reject = (line: number, error: string) => {
    rejected++;
    if (errors.length < cfg.importMaxReportedErrors) errors.push({ line, error });
  };
  const take = (e: ImportEntry, line: number) => {
    const r = parseTarget(e.kind, e.value);
    if (!r.ok) {
      reject(line, r.error);
      return;
    }
    batch.push({ t: r.target, action: e.action ?? defAction, ttlMs: e.ttlMs ?? defTtl, reason: e.reason ?? defReason });
    if (batch.length >= cfg.importBatchRows) flush();
  };
  const flush = () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    // Group by (kind, action, profile), each group in value order: the unique index is ordered by value, so a
    // sorted batch walks its pages once in order instead of jumping at random (the cost of a large import), and
    // each group is one INSERT … SELECT FROM json_each — no per-row call into SQLite.
    const groups = new Map<
      string,
      { kind: Target['kind']; action: DecisionAction; profile: [number, number]; rows: Pending[] }
    >();
    for (const p of rows) {
      // Consecutive lines nearly always share action, ttl and reason: skip the key string for those.
      let profile =
        p.action === last.action && p.ttlMs === last.ttlMs && p.reason === last.reason ? last.profile : undefined;
      const key = profile === undefined ? `${p.action}\u0000${p.ttlMs ?? ''}\u0000${p.reason}` : '';
      profile ??= profiles.get(key);
      if (profile === undefined) {
        const expiresAt = p.ttlMs === undefined ? undefined : started + p.ttlMs;
        const sql = core.store.tx(() =>
          core.store.insertProfile({
            action: p.action,
            reason: p.reason,
            source,
            expiresAt,
            createdBy: o.by,
            createdAt: started,
          }),
        );
        profile = [sql, core.gate.profiles.acquire(p.action, p.reason, expiresAt, 1)];
        profiles.set(key, profile);
      }
      last = { action: p.action, ttlMs: p.ttlMs, reason: p.reason, profile };
      const gk = `${p.t.kind}\u0000${p.action}\u0000${profile[0]}`;
      let g = groups.get(gk);
      if (g === undefined) groups.set(gk, (g = { kind: p.t.kind, action: p.action, profile, rows: [] }));
      g.rows.push(p);
    }
    const firstIds = core.store.tx(() =>
      [...groups.values()].map((g) => {
        g.rows.sort((x, y) => (x.t.value < y.t.value ? -1 : x.t.value > y.t.value ? 1 : 0));
        return core.store.insertDecisionsBulk(
          g.kind,
          g.action,
          g.profile[0],
          g.rows.map((p) => p.t.value),
        );
      }),
    );
    core.profilesDirty = true;
    const wire: WireAdd[] | undefined = core.sink === undefined ? undefined : [];
    const node = core.sink?.nodeId;
    let gi = 0;
    for (const g of groups.values()) {
      const first = firstIds[gi++]!;
      for (let i = 0; i < g.rows.length; i++) {
        const p = g.rows[i]!;
        gatePutProfile(core.gate, p.t, first + i, g.profile[1]);
        if (wire !== undefined) {
          const w = {
            g: `${node}-${first + i}`,
            k: p.t.kind,
            v: p.t.value,
            a: p.action,
            r: p.reason,
            s: source,
            b: o.by,
            t: started,
          };
          wire.push(p.ttlMs === undefined ? w : { ...w, e: started + p.ttlMs });
        }
        if (events++ >= cfg.bulkEventLimit) continue;
        const d: Decision = {
          id: formatId(first + i),
          kind: p.t.kind,
          value: p.t.value,
          action: p.action,
          reason: p.reason,
          source,
          createdBy: o.by,
          createdAt: started,
          ...(p.ttlMs === undefined ? {} : { expiresAt: started + p.ttlMs }),
        };
        core.publish('created', d, o.by);
      }
    }
    accepted += rows.length;
    if (wire !== undefined) core.sink?.push({ op: 'add', items: wire });
  };

  let bytes = 0;
  let lines = 0;
  let refused: string | undefined;
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
          items.forEach((it, i) => {
            if ('error' in it) reject(i + 1, it.error);
            else take(it.entry, i + 1);
          });
        }
      }
    }
  } catch (e) {
    if (!(e instanceof TooLargeError)) {
      flush();
      shrink(core);
      throw e;
    }
    refused = `upload larger than ${e.limit} bytes: stopped reading there; split the file or raise decisions.importMaxBytes`;
  }
  flush();
  shrink(core);
  for (const [, gp] of profiles.values()) core.gate.profiles.release(gp);
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
    }),
  );
  if (events > cfg.bulkEventLimit) {
    core.publishSummary(
      `import ${source} by ${o.by}: ${accepted} decisions (${events - cfg.bulkEventLimit} not listed)`,
    );
  }
  return report;
}
