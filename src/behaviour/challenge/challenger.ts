import type { Facet } from '../../core/facet.ts';
import type { Finding } from '../../core/finding.ts';
import type { ChallengeKind } from '../../core/verdict.ts';
import type { BehaviourConfig } from '../config.ts';
import type { CounterStore, DistinctSpec } from '../counter-store.ts';
import { behaviourFinding } from '../detector.ts';
import { CappedLru } from '../lru.ts';
import type { RequestView } from '../request-view.ts';
import { checkSolution } from './pow.ts';
import type { ChallengeSecrets } from './secrets.ts';
import { signToken, verifyToken } from './token.ts';

/**
 * Interrogation without an SDK. Three challenges, each a question a real client answers for free and a tool
 * usually does not:
 *   cookie       307 back to the same URL with a signed, client-bound pass cookie: keep cookies, pass.
 *   retry-after  429 + Retry-After: come back after the delay (not before), pass; early is a finding.
 *   pow          HTML page whose script solves a proof of work (browsers only; difficulty grows with risk).
 * State is per client (IP + client stack) in a capped table; passes are server-side for Retry-After and
 * cookie-borne otherwise. A pass removes `passRelief` of the client's risk once per token (the first use).
 */
export interface Standing {
  /** The request carries a valid pass (cookie, solved PoW, or an honoured Retry-After). */
  readonly verified: boolean;
  /** This request answered a challenge for the first time: risk relief applies. */
  readonly passedNow: boolean;
  /** Cookie challenges this client left unanswered (it probably keeps no cookies). */
  readonly unanswered: number;
}

interface ClientState {
  unanswered: number;
  retryUntil: number;
  passUntil: number;
}

const COOKIE_RE_CACHE = new Map<string, RegExp>();

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined || !header.includes(name)) return undefined;
  let re = COOKIE_RE_CACHE.get(name);
  if (re === undefined) {
    re = new RegExp(`(?:^|;\\s*)${name.replace(/[^\w-]/g, '\\$&')}=([^;]*)`);
    COOKIE_RE_CACHE.set(name, re);
  }
  return re.exec(header)?.[1];
}

export class Challenger {
  readonly #c: BehaviourConfig['challenge'];
  readonly #secrets: ChallengeSecrets;
  readonly #store: CounterStore;
  readonly #clients: CappedLru<string, ClientState>;
  /** Nonces already used once: a token relieves risk only on its first use. */
  readonly #used: CappedLru<string, number>;
  readonly #ignoredIps: DistinctSpec = {
    name: 'challenge.ignored',
    windowMs: 600_000,
    bucketMs: 30_000,
    maxMembers: 256,
  };

  constructor(config: BehaviourConfig, secrets: ChallengeSecrets, store: CounterStore) {
    this.#c = config.challenge;
    this.#secrets = secrets;
    this.#store = store;
    this.#clients = new CappedLru(config.windows.maxActors);
    this.#used = new CappedLru(config.windows.maxActors);
  }

  #client(view: RequestView): { ip: string; stack: string } {
    return { ip: view.ip.slice(3), stack: view.binding };
  }

  #key(view: RequestView): string {
    return `${view.ip} ${view.binding}`;
  }

  /** Runs in `profile`: reads the answers a request carries, pushes findings for wrong ones. */
  verify(view: RequestView, cookieHeader: string | undefined, out: Finding[]): Standing {
    const now = view.now;
    const key = this.#key(view);
    const state = this.#clients.get(key);
    let verified = state !== undefined && state.passUntil > now;
    let passedNow = false;
    const firstUse = (nonce: string): boolean => {
      if (this.#used.has(nonce)) return false;
      this.#used.set(nonce, now);
      return true;
    };
    const pass = cookieValue(cookieHeader, this.#c.cookieName);
    if (pass !== undefined) {
      const check = verifyToken(this.#secrets, pass, this.#client(view), 'c', now);
      if (check.ok) {
        verified = true;
        passedNow = firstUse(check.payload.nonce);
      } else this.#tokenFinding(view, check.reason, out);
    }
    const pow = cookieValue(cookieHeader, this.#c.powCookieName);
    if (pow !== undefined) {
      const dot = pow.lastIndexOf('.');
      const token = pow.slice(0, Math.max(0, dot));
      const check = verifyToken(this.#secrets, token, this.#client(view), 'p', now);
      if (!check.ok) this.#tokenFinding(view, check.reason, out);
      else if (checkSolution(token, pow.slice(dot + 1), check.payload.difficulty)) {
        verified = true;
        passedNow = firstUse(check.payload.nonce) || passedNow;
      } else {
        out.push(
          behaviourFinding(
            'behaviour.pow-invalid',
            'challenge',
            'high',
            `${view.ip} sent a wrong proof-of-work answer`,
            [view.ip],
            'cookie',
          ),
        );
      }
    }
    if (state !== undefined && state.retryUntil > 0) {
      if (now < state.retryUntil) {
        out.push(
          behaviourFinding(
            'behaviour.retry-after-ignored',
            'challenge',
            'high',
            `${view.ip} came back ${Math.round((state.retryUntil - now) / 100) / 10} s before its Retry-After expired`,
            this.#facets(view),
          ),
        );
      } else {
        state.retryUntil = 0;
        state.passUntil = now + this.#c.tokenTtlMs;
        verified = true;
        passedNow = true;
      }
    }
    if (verified && state !== undefined) state.unanswered = 0;
    const unanswered = verified ? 0 : (state?.unanswered ?? 0);
    if (unanswered >= this.#c.maxUnanswered) {
      out.push(
        behaviourFinding(
          'behaviour.challenge-ignored',
          'challenge',
          'medium',
          `${view.ip} left ${unanswered} cookie challenges unanswered`,
          [view.ip],
        ),
      );
      if (view.stack) {
        this.#store.addDistinct(this.#ignoredIps, view.stack, view.ip, now);
        const ips = this.#store.distinct(this.#ignoredIps, view.stack, now);
        if (ips >= 5) {
          out.push(
            behaviourFinding(
              'behaviour.challenge-ignored-stack',
              'challenge',
              'high',
              `${ips} addresses using ${view.stack} left cookie challenges unanswered`,
              [view.stack],
            ),
          );
        }
      }
    }
    return { verified, passedNow, unanswered };
  }

  #facets(view: RequestView): Facet[] {
    return view.principal ? [view.ip, view.principal] : [view.ip];
  }

  #tokenFinding(view: RequestView, reason: string, out: Finding[]): void {
    // An expired token or a mobile client that changed address is ordinary life, not evidence.
    if (reason === 'expired' || reason === 'other-address') return;
    const [ruleId, explanation] =
      reason === 'other-client'
        ? ['behaviour.challenge-token-replayed', `${view.ip} presented a challenge token issued to another client`]
        : ['behaviour.challenge-token-forged', `${view.ip} presented a ${reason} challenge token`];
    out.push(behaviourFinding(ruleId, 'challenge', 'high', explanation, [view.ip], 'cookie'));
  }

  /** Which challenge suits this client: browsers get cookie or PoW, API clients the Retry-After probe. */
  choose(view: RequestView, standing: Standing, wantsPow: boolean): ChallengeKind {
    if (view.acceptsHtml && view.method === 'GET' && wantsPow && this.#c.powEnabled) return 'pow';
    if (!view.acceptsHtml || standing.unanswered >= 1) return 'retry-after';
    return 'cookie';
  }

  issueCookie(view: RequestView): string {
    this.#bump(view);
    const token = signToken(this.#secrets, { kind: 'c', ...this.#client(view), ttlMs: this.#c.tokenTtlMs }, view.now);
    return `${this.#c.cookieName}=${token}; Max-Age=${Math.floor(this.#c.tokenTtlMs / 1000)}; Path=/; HttpOnly; SameSite=Lax`;
  }

  issuePow(view: RequestView, difficulty: number): string {
    this.#bump(view);
    return signToken(
      this.#secrets,
      { kind: 'p', ...this.#client(view), ttlMs: this.#c.tokenTtlMs, difficulty },
      view.now,
    );
  }

  /** Returns the Retry-After in seconds and remembers when the client may come back. */
  issueRetryAfter(view: RequestView): number {
    const state = this.#state(view);
    if (state.retryUntil <= view.now) state.retryUntil = view.now + this.#c.retryAfterSeconds * 1000;
    return Math.max(1, Math.ceil((state.retryUntil - view.now) / 1000));
  }

  #bump(view: RequestView): void {
    this.#state(view).unanswered++;
  }

  #state(view: RequestView): ClientState {
    const key = this.#key(view);
    return this.#clients.upsert(key, () => ({ unanswered: 0, retryUntil: 0, passUntil: 0 }));
  }
}
