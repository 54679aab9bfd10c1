import type { Facet } from '../core/facet.ts';
import { CappedLru } from './lru.ts';

/**
 * Risk per facet: each finding adds weight under its rule id, and every contribution halves every `halfLifeMs`
 * (exponential decay, evaluated lazily on read, so no timer ever walks the table):
 *
 *   risk(t) = Σ_strong value · 2^(−(t − at) / halfLife)  +  min(weakCap, Σ_weak value · 2^(−(t − at) / halfLife))
 *
 * One rule can add at most `maxStack` × its weight to one facet, so a detector that fires on every request of a
 * burst cannot alone push a facet past block unless its single weight is meant to. Weak contributions (content
 * findings of medium severity or lower, evidence.ts `isWeak`) are kept apart from strong ones, even of the same
 * rule, and count together up to `weakCap`: a user who posts Markdown with shell code three times, or saves
 * rich-text HTML every minute, collects a medium each time from rules that judged the content quoted or
 * ambiguous, and two of them summed reached the challenge line. A strong finding is never capped. Contributions
 * keep the last explanation, which is what `explain()` and the admin API show.
 */
export interface Contribution {
  readonly ruleId: string;
  readonly risk: number;
  readonly hits: number;
  readonly lastAt: number;
  readonly explanation: string;
  /** Weak evidence: counted with the other weak contributions up to `weakCap`. */
  readonly weak?: true;
}

export interface RiskExplanation {
  readonly facet: Facet;
  readonly risk: number;
  readonly contributions: readonly Contribution[];
  /** Present when the weak contributions sum past the cap: `risk` counts them as this much. */
  readonly weakCapped?: number;
  /** Linked facets and the share of their risk this facet inherits (filled in by the engine). */
  readonly inherited?: readonly { readonly facet: Facet; readonly risk: number }[];
}

/** One finding's addition to a facet. */
export interface Addition {
  readonly ruleId: string;
  readonly weight: number;
  /** The most this rule may hold on the facet (`maxStack` × weight, or the weight for stack-once rules). */
  readonly cap: number;
  readonly explanation: string;
  readonly weak: boolean;
}

interface Entry {
  value: number;
  at: number;
  hits: number;
  explanation: string;
}

/** A facet's contributions by rule id, strong and weak apart. */
interface Ledger {
  readonly strong: Map<string, Entry>;
  readonly weak: Map<string, Entry>;
}

export class RiskBook {
  readonly #facets: CappedLru<Facet, Ledger>;
  readonly #halfLifeMs: number;
  readonly #weakCap: number;

  constructor(options: { halfLifeMs: number; maxFacets: number; weakCap: number }) {
    this.#facets = new CappedLru(options.maxFacets);
    this.#halfLifeMs = Math.max(1, options.halfLifeMs);
    this.#weakCap = options.weakCap;
  }

  #decayed(e: Entry, now: number): number {
    return e.value * 2 ** (-Math.max(0, now - e.at) / this.#halfLifeMs);
  }

  #sum(entries: Map<string, Entry>, now: number): number {
    let total = 0;
    for (const e of entries.values()) total += this.#decayed(e, now);
    return total;
  }

  add(facet: Facet, a: Addition, now: number): void {
    if (a.weight <= 0) return;
    const ledger = this.#facets.upsert(facet, () => ({ strong: new Map(), weak: new Map() }));
    const entries = a.weak ? ledger.weak : ledger.strong;
    const e = entries.get(a.ruleId);
    if (e === undefined) {
      entries.set(a.ruleId, { value: Math.min(a.cap, a.weight), at: now, hits: 1, explanation: a.explanation });
      return;
    }
    e.value = Math.min(a.cap, this.#decayed(e, now) + a.weight);
    e.at = now;
    e.hits++;
    e.explanation = a.explanation;
  }

  risk(facet: Facet, now: number): number {
    const ledger = this.#facets.get(facet);
    if (ledger === undefined) return 0;
    return this.#sum(ledger.strong, now) + Math.min(this.#weakCap, this.#sum(ledger.weak, now));
  }

  /**
   * Removes a share of the facet's risk (a passed challenge, an honoured Retry-After): of every strong
   * contribution, and of the weak ones as counted — first brought down to the cap, so the relief is the share
   * promised and not a share of weight the cap was already ignoring.
   */
  relieve(facet: Facet, share: number, now: number): void {
    const ledger = this.#facets.get(facet);
    if (ledger === undefined) return;
    const weakSum = this.#sum(ledger.weak, now);
    const toCap = weakSum > this.#weakCap ? this.#weakCap / weakSum : 1;
    for (const [entries, factor] of [
      [ledger.strong, 1 - share],
      [ledger.weak, toCap * (1 - share)],
    ] as const) {
      for (const e of entries.values()) {
        e.value = this.#decayed(e, now) * factor;
        e.at = now;
      }
    }
  }

  explain(facet: Facet, now: number): RiskExplanation {
    const ledger = this.#facets.get(facet);
    const contributions: Contribution[] = [];
    let strong = 0;
    let weak = 0;
    for (const [entries, isWeak] of [
      [ledger?.strong, false],
      [ledger?.weak, true],
    ] as const) {
      for (const [ruleId, e] of entries ?? []) {
        const decayed = this.#decayed(e, now);
        if (decayed < 0.05) continue;
        const risk = round(decayed);
        const c = { ruleId, risk, hits: e.hits, lastAt: e.at, explanation: e.explanation };
        contributions.push(isWeak ? { ...c, weak: true } : c);
        if (isWeak) weak += risk;
        else strong += risk;
      }
    }
    contributions.sort((a, b) => b.risk - a.risk);
    const counted = Math.min(weak, this.#weakCap);
    return {
      facet,
      risk: round(strong + counted),
      contributions,
      ...(weak > this.#weakCap ? { weakCapped: round(counted) } : {}),
    };
  }

  get size(): number {
    return this.#facets.size;
  }
}

const round = (n: number): number => Math.round(n * 10) / 10;
