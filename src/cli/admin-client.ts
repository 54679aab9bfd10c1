import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { request } from 'undici';

/**
 * The CLI's connection to a running gateway's admin API. Precedence for each setting: flag, then environment,
 * then default — `--admin-url` / PORTCULLIS_ADMIN_URL / http://127.0.0.1:9090, and `--token` /
 * PORTCULLIS_ADMIN_TOKEN / the file `<data dir>/admin-token` (`--data-dir`, default `.portcullis`) that
 * `portcullis start` writes with mode 0600.
 */
export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:9090';
export const DEFAULT_DATA_DIR = '.portcullis';

export interface ConnectionFlags {
  readonly adminUrl?: string | undefined;
  readonly token?: string | undefined;
  readonly dataDir?: string | undefined;
  /** Recorded in the audit log after the token identity (`X-Portcullis-Actor`). */
  readonly as?: string | undefined;
}

export interface AdminConnection {
  readonly adminUrl: string;
  readonly token: string;
  readonly as?: string | undefined;
}

export class AdminClientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly problem?: { code?: string; detail?: string; [k: string]: unknown },
  ) {
    super(message);
  }
}

export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): AdminConnection {
  const adminUrl = (flags.adminUrl ?? env['PORTCULLIS_ADMIN_URL'] ?? DEFAULT_ADMIN_URL).replace(/\/+$/, '');
  let token = flags.token ?? env['PORTCULLIS_ADMIN_TOKEN'];
  if (token === undefined) {
    const file = join(flags.dataDir ?? DEFAULT_DATA_DIR, 'admin-token');
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch {
      throw new AdminClientError(
        `no admin token: pass --token, set PORTCULLIS_ADMIN_TOKEN, or point --data-dir at the gateway's data dir (${file} not readable)`,
      );
    }
  }
  return { adminUrl, token, as: flags.as };
}

export interface CallOptions {
  readonly query?: Record<string, string | number | boolean | undefined> | URLSearchParams;
  readonly json?: unknown;
  readonly body?: Readable | Buffer | string;
  readonly contentType?: string;
  readonly contentLength?: number;
}

export class AdminClient {
  readonly #c: AdminConnection;

  constructor(connection: AdminConnection) {
    this.#c = connection;
  }

  #url(path: string, query: CallOptions['query']): string {
    const q = query instanceof URLSearchParams ? query : new URLSearchParams();
    if (!(query instanceof URLSearchParams) && query !== undefined) {
      for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
    }
    const s = q.toString();
    return `${this.#c.adminUrl}${path}${s === '' ? '' : `?${s}`}`;
  }

  /** Sends a request and returns the response stream on 2xx; throws AdminClientError with the problem otherwise. */
  async stream(method: 'GET' | 'POST' | 'DELETE', path: string, o: CallOptions = {}): Promise<Readable> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#c.token}` };
    if (this.#c.as !== undefined) headers['x-portcullis-actor'] = this.#c.as;
    let body: Readable | Buffer | string | undefined = o.body;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['content-type'] = 'application/json';
    } else if (o.contentType !== undefined) headers['content-type'] = o.contentType;
    if (o.contentLength !== undefined) headers['content-length'] = String(o.contentLength);
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(this.#url(path, o.query), { method, headers, body: body ?? null });
    } catch (e) {
      throw new AdminClientError(
        `cannot reach the admin API at ${this.#c.adminUrl} (${(e as Error).message}); start the gateway or pass --admin-url`,
      );
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res.body as unknown as Readable;
    const text = await res.body.text();
    let problem: AdminClientError['problem'];
    try {
      problem = JSON.parse(text) as AdminClientError['problem'];
    } catch {
      problem = undefined;
    }
    const detail = problem?.detail ?? text.slice(0, 200);
    throw new AdminClientError(`${problem?.code ?? `HTTP ${res.statusCode}`}: ${detail}`, res.statusCode, problem);
  }

  async call<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, o: CallOptions = {}): Promise<T> {
    const s = await this.stream(method, path, o);
    let text = '';
    for await (const chunk of s) text += chunk;
    return JSON.parse(text) as T;
  }
}
