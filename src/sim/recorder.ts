import type { CallResult } from './client.ts';

/**
 * Tallies what happened to each group of simulated traffic: legitimate kinds (browsers, mobile, NAT office,
 * partner) and attack campaigns. A request "reached the API" when the demo API answered it; everything else
 * (blocked, challenged and not passed) was stopped by the gateway.
 */
export interface GroupReport {
  readonly group: string;
  readonly legitimate: boolean;
  readonly requests: number;
  readonly reached: number;
  readonly blocked: number;
  /** Legitimate: requests that met a challenge (passed or not). Attacks: requests stopped by a challenge. */
  readonly challenged: number;
  readonly errors: number;
  readonly stoppedShare: number;
  /** Attack campaigns: first stopped request (index, seconds from the campaign's start). */
  readonly firstStopped?: { readonly request: number; readonly seconds: number };
  /** Attack campaigns: the last request that still reached the API. */
  readonly lastReached?: { readonly request: number; readonly seconds: number };
  /** Legitimate: distinct users that had at least one request blocked. */
  readonly usersBlocked?: number;
  readonly users?: number;
  /** Credential stuffing: valid stolen credentials tried, and how many reached the API (account takeovers). */
  readonly validTried?: number;
  readonly takeovers?: number;
}

class Group {
  requests = 0;
  reached = 0;
  blocked = 0;
  challenged = 0;
  errors = 0;
  firstStopped: { request: number; seconds: number } | undefined;
  lastReached: { request: number; seconds: number } | undefined;
  readonly blockedUsers = new Set<string>();
  readonly users = new Set<string>();
  validTried = 0;
  takeovers = 0;
  constructor(
    readonly name: string,
    readonly legitimate: boolean,
    readonly startedAt: number,
  ) {}
}

export class Recorder {
  readonly #groups = new Map<string, Group>();

  start(name: string, legitimate: boolean): void {
    if (!this.#groups.has(name)) this.#groups.set(name, new Group(name, legitimate, performance.now()));
  }

  record(name: string, user: string, r: CallResult, valid?: boolean): void {
    const g = this.#groups.get(name);
    if (g === undefined) throw new Error(`group ${name} was not started`);
    g.requests++;
    g.users.add(user);
    const seconds = Math.round((performance.now() - g.startedAt) / 100) / 10;
    if (r.outcome === 'reached') {
      g.reached++;
      g.lastReached = { request: g.requests, seconds };
    } else if (r.outcome === 'error') g.errors++;
    else {
      if (r.outcome === 'blocked') {
        g.blocked++;
        g.blockedUsers.add(user);
      } else if (!g.legitimate) g.challenged++;
      g.firstStopped ??= { request: g.requests, seconds };
    }
    if (g.legitimate && r.challengedOnce) g.challenged++;
    if (valid === true) {
      g.validTried++;
      if (r.outcome === 'reached' && r.status === 200) g.takeovers++;
    }
  }

  report(): GroupReport[] {
    return [...this.#groups.values()].map((g) => {
      const base = {
        group: g.name,
        legitimate: g.legitimate,
        requests: g.requests,
        reached: g.reached,
        blocked: g.blocked,
        challenged: g.challenged,
        errors: g.errors,
        stoppedShare:
          g.requests === 0 ? 0 : Math.round(((g.requests - g.reached - g.errors) / g.requests) * 10_000) / 10_000,
      };
      if (g.legitimate) return { ...base, usersBlocked: g.blockedUsers.size, users: g.users.size };
      return {
        ...base,
        ...(g.firstStopped && { firstStopped: g.firstStopped }),
        ...(g.lastReached && { lastReached: g.lastReached }),
        ...(g.validTried > 0 && { validTried: g.validTried, takeovers: g.takeovers }),
      };
    });
  }
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
