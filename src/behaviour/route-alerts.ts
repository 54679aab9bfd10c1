/**
 * Route-level alerts: when a route's aggregate looks attacked (login failure ratio across all clients, a rate far
 * above its baseline) no single client may have crossed a threshold yet: a distributed, low-and-slow campaign
 * shows up only in the aggregate. While an alert is active the policy challenges unverified clients on that route
 * instead of letting them through, which costs a legitimate browser one cookie round-trip.
 */
export interface RouteAlert {
  readonly route: string;
  readonly reason: string;
  readonly since: number;
  readonly until: number;
}

export class RouteAlerts {
  readonly #alerts = new Map<string, RouteAlert>();

  raise(route: string, reason: string, now: number, durationMs: number): void {
    const existing = this.#alerts.get(route);
    const since = existing && existing.until > now ? existing.since : now;
    this.#alerts.set(route, { route, reason, since, until: now + durationMs });
  }

  active(route: string, now: number): boolean {
    const alert = this.#alerts.get(route);
    if (alert === undefined) return false;
    if (alert.until > now) return true;
    this.#alerts.delete(route);
    return false;
  }

  list(now: number): RouteAlert[] {
    return [...this.#alerts.values()].filter((a) => a.until > now);
  }
}
