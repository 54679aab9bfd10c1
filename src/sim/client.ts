import { Agent, request } from 'node:http';
import { checkSolution } from '../behaviour/challenge/pow.ts';
import type { ClientProfile } from './profiles.ts';

/**
 * One simulated client: a source address on the loopback /8 (127.x.y.z, all local on Linux), a client stack
 * profile, a cookie jar when the stack keeps cookies. `call` performs one logical request, following what the
 * stack would do with a challenge, and says how it ended:
 *   reached     the upstream (demo API) answered
 *   blocked     the gateway refused (403 problem+json)
 *   challenged  the gateway challenged and the stack could not or would not get through
 * `challengedOnce` tells whether any challenge was met on the way (a legitimate client that passed still counts
 * as challenged in the report).
 */
export type Outcome = 'reached' | 'blocked' | 'challenged' | 'error';

export interface CallResult {
  readonly outcome: Outcome;
  readonly status: number;
  readonly challengedOnce: boolean;
  readonly body: string;
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SimClient {
  readonly #base: URL;
  readonly #profile: ClientProfile;
  readonly #ip: string;
  readonly #agent: Agent | undefined;
  readonly #cookies = new Map<string, string>();
  bearer: string | undefined;

  /** `sockets` = 0: a new connection per request (rotating proxies); otherwise a keep-alive pool of that size. */
  constructor(base: string, profile: ClientProfile, ip: string, sockets = 2) {
    this.#base = new URL(base);
    this.#profile = profile;
    this.#ip = ip;
    this.#agent = sockets > 0 ? new Agent({ keepAlive: true, maxSockets: sockets, localAddress: ip }) : undefined;
  }

  get ip(): string {
    return this.#ip;
  }

  close(): void {
    this.#agent?.destroy();
  }

  async call(method: string, path: string, json?: unknown): Promise<CallResult> {
    let challengedOnce = false;
    for (let hop = 0; hop < 3; hop++) {
      let raw: Raw;
      try {
        raw = await this.#send(method, path, json);
      } catch {
        return { outcome: 'error', status: 0, challengedOnce, body: '' };
      }
      const type = String(raw.headers['content-type'] ?? '');
      const incident = raw.headers['x-portcullis-incident'] !== undefined;
      if (!incident || (raw.status < 400 && raw.status !== 307)) {
        return { outcome: raw.status >= 500 ? 'error' : 'reached', status: raw.status, challengedOnce, body: raw.body };
      }
      if (raw.status === 307) {
        challengedOnce = true;
        if (!this.#profile.followsRedirects) return { outcome: 'challenged', status: 307, challengedOnce, body: '' };
        continue; // the cookie (if kept) was stored by #send
      }
      if (raw.status === 429) {
        challengedOnce = true;
        const wait = Number(raw.headers['retry-after'] ?? 1);
        if (this.#profile.retryAfter === 'give-up')
          return { outcome: 'challenged', status: 429, challengedOnce, body: '' };
        if (this.#profile.retryAfter === 'honour') await sleep(wait * 1000 + 50);
        continue;
      }
      if (raw.status === 403 && type.startsWith('text/html')) {
        challengedOnce = true;
        if (!this.#profile.solvesPow || !this.#solvePow(raw.body)) {
          return { outcome: 'challenged', status: 403, challengedOnce, body: '' };
        }
        continue;
      }
      if (raw.status >= 500) return { outcome: 'error', status: raw.status, challengedOnce, body: '' };
      return { outcome: 'blocked', status: raw.status, challengedOnce, body: '' };
    }
    return { outcome: 'challenged', status: 0, challengedOnce: true, body: '' };
  }

  /** What the page's script does, in Node: find the nonce, store it in the cookie. */
  #solvePow(html: string): boolean {
    const m = /var p=(\{[^;]*\});/.exec(html);
    if (!m) return false;
    const p = JSON.parse(m[1]!) as { t: string; d: number; c: string };
    for (let n = 0; n < 1 << 24; n++) {
      if (checkSolution(p.t, n.toString(36), p.d)) {
        this.#cookies.set(p.c, `${p.t}.${n.toString(36)}`);
        return true;
      }
    }
    return false;
  }

  #send(method: string, path: string, json?: unknown): Promise<Raw> {
    const browserCase = this.#profile.headers.some(([name]) => name === 'User-Agent');
    const headers: (readonly [string, string])[] = [
      [browserCase ? 'Host' : 'host', this.#base.host],
      ...this.#profile.headers,
    ];
    const body = json === undefined ? undefined : JSON.stringify(json);
    if (body !== undefined)
      headers.push(['content-type', 'application/json'], ['content-length', String(Buffer.byteLength(body))]);
    if (this.bearer !== undefined)
      headers.push([browserCase ? 'Authorization' : 'authorization', `Bearer ${this.bearer}`]);
    if (this.#profile.keepsCookies && this.#cookies.size > 0) {
      headers.push([browserCase ? 'Cookie' : 'cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')]);
    }
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.#base.hostname,
          port: this.#base.port,
          method,
          path,
          headers: headers.flat(),
          localAddress: this.#ip,
          ...(this.#agent === undefined ? { agent: false } : { agent: this.#agent }),
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (this.#profile.keepsCookies) this.#store(res.headers['set-cookie']);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  }

  #store(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
}
