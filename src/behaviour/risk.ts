import type { Facet } from '../core/facet.ts';
import { CappedLru } from './lru.ts';

/**
 * Risk per facet: each finding adds weight under its rule id, and every contribution halves every `halfLifeMs`
 * (exponential decay, evaluated lazily on read, so no timer ever walks the table):
 *
 *   risk(t) = Σ_rule value_rule · 2^(−(t − at_rule) / halfLife)
 *
 * One rule can add at most `maxStack` × its weight to one facet, so a detector that fires on every request of a
 * burst cannot alone push a facet past block unless its single weight is meant to. Contributions keep the last
 * explanation, which is what `explain()` and the admin API show.
 */
export interface Contribution {
  readonly ruleId: string;
  readonly risk: number;
  readonly hits: number;
  readonly lastAt: number;
  readonly explanation: string;
}

export interface RiskExplanation {
  readonly facet: Facet;
  readonly risk: number;
  readonly contributions: readonly Contribution[];
  /** Linked facets and the share of their risk this facet inherits (filled in by the engine). */
  readonly inherited?: readonly { readonly facet: Facet; readonly risk: number }[];
}

interface Entry {
  value: number;
  at: number;
  hits: number;
  explanation: string;
}

export class RiskBook {
  readonly #facets: CappedLru<Facet, Map<string, Entry>>;
  readonly #halfLifeMs: number;

  constructor(options: { halfLifeMs: number; maxFacets: number }) {
    this.#facets = new CappedLru(options.maxFacets);
    this.#halfLifeMs = Math.max(1, options.halfLifeMs);
  }

  #decayed(e: Entry, now: number): number {
    return e.value * 2 ** (-Math.max(0, now - e.at) / this.#halfLifeMs);
  }

  add(facet: Facet, ruleId: string, weight: number, cap: number, explanation: string, now: number): void {
    if (weight <= 0) return;
    const rules = this.#facets.upsert(facet, () => new Map());
    const e = rules.get(ruleId);
    if (e === undefined) {
      rules.set(ruleId, { value: Math.min(cap, weight), at: now, hits: 1, explanation });
      return;
    }
    e.value = Math.min(cap, this.#decayed(e, now) + weight);
    e.at = now;
    e.hits++;
    e.explanation = explanation;
  }

  risk(facet: Facet, now: number): number {
    const rules = this.#facets.get(facet);
    if (rules === undefined) return 0;
    let total = 0;
    for (const e of rules.values()) total += this.#decayed(e, now);
    return total;
  }

  /** Removes a share of every contribution (a passed challenge, an honoured Retry-After). */
  relieve(facet: Facet, share: number, now: number): void {
    const rules = this.#facets.get(facet);
    if (rules === undefined) return;
    for (const e of rules.values()) {
      e.value = this.#decayed(e, now) * (1 - share);
      e.at = now;
    }
  }

  explain(facet: Facet, now: number): RiskExplanation {
    const rules = this.#facets.get(facet);
    const contributions: Contribution[] = [];
    for (const [ruleId, e] of rules ?? []) {
      const risk = this.#decayed(e, now);
      if (risk >= 0.05)
        contributions.push({ ruleId, risk: round(risk), hits: e.hits, lastAt: e.at, explanation: e.explanation });
    }
    contributions.sort((a, b) => b.risk - a.risk);
    return { facet, risk: round(contributions.reduce((s, c) => s + c.risk, 0)), contributions };
  }

  get size(): number {
    return this.#facets.size;
  }
}

const round = (n: number): number => Math.round(n * 10) / 10;
