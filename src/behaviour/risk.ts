import type { Facet } from '../core/facet.ts';
import { CappedLru } from './lru.ts';

/**
 * Risk per facet: each finding adds weight under its rule id, and every contribution halves every `halfLifeMs`
 * (exponential decay, evaluated lazily on read, so no timer ever walks the table):
 *
 *   risk(t) = Σ_strong value_rule · 2^(−(t − at_rule) / halfLife)  +  min(weakCap, Σ_weak …the same…)
 *
 * One rule can add at most `maxStack` × its weight to one facet, so a detector that fires on every request of a
 * burst cannot alone push a facet past block unless its single weight is meant to. Weak contributions (content
 * findings of medium severity or lower, engine.ts) count together up to `weakCap`: a user who posts Markdown with
 * shell code three times, or saves rich-text HTML every minute, collects a `medium` each time from rules that
 * judged the content quoted or ambiguous — summed, two of them reached the challenge line. Contributions keep the
 * last explanation, which is what `explain()` and the admin API show.
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

interface Entry {
  value: number;
  at: number;
  hits: number;
  explanation: string;
  weak: boolean;
}

export class RiskBook {
  readonly #facets: CappedLru<Facet, Map<string, Entry>>;
  readonly #halfLifeMs: number;
  readonly #weakCap: number;

  constructor(options: { halfLifeMs: number; maxFacets: number; weakCap?: number }) {
    this.#facets = new CappedLru(options.maxFacets);
    this.#halfLifeMs = Math.max(1, options.halfLifeMs);
    this.#weakCap = options.weakCap ?? Infinity;
  }

  #decayed(e: Entry, now: number): number {
    return e.value * 2 ** (-Math.max(0, now - e.at) / this.#halfLifeMs);
  }

  /**
   * `weak` marks weak evidence. A rule whose findings are sometimes weak and sometimes not (medium when it judged
   * the content quoted, high otherwise) is strong from its first strong contribution on: the cap must never hide
   * a high finding.
   */
  add(facet: Facet, ruleId: string, weight: number, cap: number, explanation: string, now: number, weak = false): void {
    if (weight <= 0) return;
    const rules = this.#facets.upsert(facet, () => new Map());
    const e = rules.get(ruleId);
    if (e === undefined) {
      rules.set(ruleId, { value: Math.min(cap, weight), at: now, hits: 1, explanation, weak });
      return;
    }
    e.value = Math.min(cap, this.#decayed(e, now) + weight);
    e.at = now;
    e.hits++;
    e.explanation = explanation;
    if (!weak) e.weak = false;
  }

  risk(facet: Facet, now: number): number {
    const rules = this.#facets.get(facet);
    if (rules === undefined) return 0;
    let strong = 0;
    let weak = 0;
    for (const e of rules.values()) {
      if (e.weak) weak += this.#decayed(e, now);
      else strong += this.#decayed(e, now);
    }
    return strong + Math.min(weak, this.#weakCap);
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
    let strong = 0;
    let weak = 0;
    for (const [ruleId, e] of rules ?? []) {
      const risk = round(this.#decayed(e, now));
      if (risk < 0.1) continue;
      const c = { ruleId, risk, hits: e.hits, lastAt: e.at, explanation: e.explanation };
      contributions.push(e.weak ? { ...c, weak: true } : c);
      if (e.weak) weak += risk;
      else strong += risk;
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
