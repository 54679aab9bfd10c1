import type { DecisionKind } from '../core/decision.ts';
import type { Facet } from '../core/facet.ts';
import type { BehaviourConfig } from './config.ts';
import type { CounterStore, DistinctSpec } from './counter-store.ts';
import { CappedLru } from './lru.ts';

/**
 * Campaign escalation and its collateral-damage guard. When several distinct IPs sharing a client stack (or a
 * subnet) have been blocked, the campaign is the stack, not the addresses: block the stack and the next thousand
 * fresh IPs stop at the gate. Unless the stack is *common among low-risk traffic* — the fingerprint of a popular
 * browser that a credential-stuffing tool happens to share — because blocking it would block real users.
 *
 * "Common" is measured, per shared facet, over the IPs recently seen with it: an IP counts as low-risk once it
 * has made `lowRiskMinRequests` requests all judged below the watch threshold; one request above flags it for
 * good. Common = at least `collateralMinLowRiskIps` low-risk IPs making at least `collateralMinLowRiskShare` of
 * them, or low-risk IPs that made `collateralMinLowRiskRequests` requests between them: one steady partner
 * integration behind one address is legitimate use of its client stack even though it is a single IP (the
 * simulator's partner shares its header order with the scanners, which is how this rule was found).
 * A common facet's risk is also capped at `risk.sharedCap` (below challenge) when scoring.
 */
interface IpSeen {
  requests: number;
  flagged: boolean;
}

interface Population {
  ips: Map<string, IpSeen>;
  /**
   * The IPs in arrival order, as a ring: when full, the oldest arrival is forgotten. (Taking the first key of the
   * Map instead walks over the holes its deletes leave at the front: a shared fingerprint sees a new IP on most
   * requests, and that walk was measurable.)
   */
  order: string[];
  head: number;
  /** Low-risk IPs, and the requests they made. */
  low: number;
  lowRequests: number;
}

export interface Escalation {
  readonly kind: DecisionKind;
  readonly value: string;
  readonly facet: Facet;
  readonly blockedIps: number;
}

export class CampaignTracker {
  readonly #c: BehaviourConfig['campaign'];
  readonly #store: CounterStore;
  readonly #populations: CappedLru<Facet, Population>;
  readonly #blocked: DistinctSpec;

  constructor(config: BehaviourConfig, store: CounterStore) {
    this.#c = config.campaign;
    this.#store = store;
    this.#populations = new CappedLru(Math.max(1000, Math.floor(config.windows.maxActors / 10)));
    this.#blocked = {
      name: 'campaign.blocked',
      windowMs: this.#c.windowMs,
      bucketMs: Math.max(1000, Math.floor(this.#c.windowMs / 30)),
      maxMembers: 1024,
    };
  }

  /** Records one request of `ip` with each shared facet and whether it was judged low-risk. */
  see(ip: Facet, shared: readonly Facet[], lowRisk: boolean): void {
    for (const f of shared) {
      const pop = this.#populations.upsert(f, () => ({ ips: new Map(), order: [], head: 0, low: 0, lowRequests: 0 }));
      let seen = pop.ips.get(ip);
      if (seen === undefined) {
        if (pop.order.length < this.#c.ipsPerFacet) {
          seen = { requests: 0, flagged: false };
          pop.order.push(ip);
        } else {
          // The forgotten IP's record is reused: a shared fingerprint meets a new IP on most requests.
          const oldIp = pop.order[pop.head]!;
          seen = pop.ips.get(oldIp)!;
          this.#count(pop, seen, -1);
          seen.requests = 0;
          seen.flagged = false;
          pop.ips.delete(oldIp);
          pop.order[pop.head] = ip;
          pop.head = (pop.head + 1) % pop.order.length;
        }
        pop.ips.set(ip, seen);
      }
      this.#count(pop, seen, -1);
      seen.requests++;
      if (!lowRisk) seen.flagged = true;
      this.#count(pop, seen, +1);
    }
  }

  #count(pop: Population, seen: IpSeen, sign: 1 | -1): void {
    if (seen.flagged || seen.requests < this.#c.lowRiskMinRequests) return;
    pop.low += sign;
    pop.lowRequests += sign * seen.requests;
  }

  /** The collateral guard: is this shared facet common among low-risk traffic? */
  isCommon(f: Facet): boolean {
    const pop = this.#populations.get(f);
    if (pop === undefined) return false;
    if (pop.lowRequests >= this.#c.collateralMinLowRiskRequests) return true;
    return pop.low >= this.#c.collateralMinLowRiskIps && pop.low / pop.ips.size >= this.#c.collateralMinLowRiskShare;
  }

  population(f: Facet): { ips: number; lowRisk: number } {
    const pop = this.#populations.get(f);
    return { ips: pop?.ips.size ?? 0, lowRisk: pop?.low ?? 0 };
  }

  /** An IP was blocked: returns the shared facets whose campaign now warrants a block of their own. */
  blocked(ip: Facet, shared: readonly Facet[], now: number): Escalation[] {
    const out: Escalation[] = [];
    for (const f of shared) {
      this.#store.addDistinct(this.#blocked, f, ip, now);
      const kind = f.slice(0, f.indexOf(':'));
      const min = kind === 'subnet' ? this.#c.subnetMinBlockedIps : this.#c.fingerprintMinBlockedIps;
      const blockedIps = this.#store.distinct(this.#blocked, f, now);
      if (blockedIps < min || this.isCommon(f)) continue;
      if (kind === 'subnet') out.push({ kind: 'cidr', value: f.slice(7), facet: f, blockedIps });
      else if (kind === 'tls' || kind === 'http')
        out.push({ kind, value: f.slice(kind.length + 1), facet: f, blockedIps });
    }
    return out;
  }
}
