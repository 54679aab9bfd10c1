import type { DestinationStream } from 'pino';

/** One access record: what the `record` stage knows of a finished request. */
export interface AccessRecord {
  readonly incident: string;
  readonly ip: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly action: string;
  readonly enforced: boolean;
  readonly latencyMs: number;
  readonly upstreamError?: string;
  /** An error code (docs/errors.md) makes the line a `warn`. */
  readonly code?: string;
}

/** pino's numeric levels, so access lines read like every other log line. */
const INFO = 30;
const WARN = 40;
/** Lines are handed to the destination in batches of about this many characters. */
const BATCH_CHARS = 16 * 1024;

/**
 * The access log: one JSON line per request, in pino's line format (`level`, `time`, `service`, `msg`, fields),
 * on the same destination as the gateway's other logs. Written by hand rather than through pino because every
 * field is known and all but `method` and `path` are ours: serialising a generic object cost 4.8 % of the
 * gateway's CPU under load (bench/profile.ts). Lines are batched; `flush()` runs on the gateway's log timer
 * (every second) and at shutdown, so no line is lost, only delayed by at most that long.
 */
export class AccessLog {
  readonly #dest: DestinationStream;
  readonly #prefix: string;
  readonly #minLevel: number;
  #pending = '';
  #lastMs = 0;
  #lastIso = '';

  constructor(dest: DestinationStream, options: { readonly service: string; readonly minLevel: number }) {
    this.#dest = dest;
    this.#prefix = `,"service":${JSON.stringify(options.service)},"msg":"request"`;
    this.#minLevel = options.minLevel;
  }

  write(r: AccessRecord, nowMs: number): void {
    const level = r.code === undefined ? INFO : WARN;
    if (level < this.#minLevel) return;
    let line = `{"level":${level},"time":"${this.#iso(nowMs)}"${this.#prefix},"incident":"${r.incident}","ip":"${r.ip}","method":${JSON.stringify(r.method)},"path":${JSON.stringify(r.path)},"status":${r.status},"action":"${r.action}","enforced":${r.enforced},"latencyMs":${r.latencyMs}`;
    if (r.upstreamError !== undefined) line += `,"upstreamError":"${r.upstreamError}"`;
    if (r.code !== undefined) line += `,"code":"${r.code}"`;
    this.#pending += `${line}}\n`;
    if (this.#pending.length >= BATCH_CHARS) this.flush();
  }

  flush(): void {
    if (this.#pending === '') return;
    const batch = this.#pending;
    this.#pending = '';
    this.#dest.write(batch);
  }

  /** ISO time, formatted once per millisecond at most. */
  #iso(ms: number): string {
    if (ms !== this.#lastMs) {
      this.#lastMs = ms;
      this.#lastIso = new Date(ms).toISOString();
    }
    return this.#lastIso;
  }
}
