import type { ActorLinks } from '../core/actor.ts';
import type { Facet } from '../core/facet.ts';
import type { Finding, Severity } from '../core/finding.ts';
import type { EventBus } from '../events/bus.ts';
import type { IdentityConfig } from './config.ts';

/**
 * Facets seen together on requests, linked into actors with decaying weights and a hard memory cap.
 *
 *   young: Map<Facet, Node>  ◄── every touched node lives here (promoted from `old` on its next sighting)
 *   old:   Map<Facet, Node>  ◄── the previous generation; dropped whole when `young` fills its half of the cap
 *
 *     ip:203.0.113.7 ──┐        Node { first, last, count,
 *     subnet:…/24  ────┼──────►        links: [{ facet, w, t }, …]  ≤ maxLinksPerFacet, weakest replaced
 *     tls:t13d…    ────┤               findings: [{ ruleId, … }]    ≤ findingsPerFacet, oldest dropped }
 *     http:11tn…   ────┘
 *
 * A link's weight decays as w·2^(−Δt/halfLife) and gains 1 each time the pair is seen again. Memory is bounded
 * twice: per node (links and findings are capped, so a fingerprint shared by a million IPs holds 16 links) and in
 * total: each generation holds at most half of `capBytes` (estimated per node), and when `young` is full the old
 * generation — everything not seen since the last turnover — is dropped in O(1). A flood of single-request IPs
 * therefore recycles the same budget, while anything active (a shared fingerprint, a returning principal) is
 * promoted and survives. (A Map used as an LRU with delete/re-insert was measured first: V8's ordered hash
 * leaves holes at the front that every eviction rescans, 277 µs/request at 1M IPs.)
 * `ja3:` facets are not linked: Chrome randomises its extension order per connection, so its JA3 is a fresh value
 * on every connection and would only churn the graph; `tls:` (JA4) carries the same client information stably. */

export interface RecentFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly at: number;
  readonly explanation: string;
}

interface Link {
  /** Mutable so a full list recycles its weakest link in place instead of allocating (a hub churns per request). */
  facet: Facet;
  w: number;
  t: number;
  /**
   * log2(w) + t/halfLife: decayed weights at any common `now` order the same way as these scores, so the weakest
   * link is found by comparison alone, without a power per link per request.
   */
  s: number;
}

interface Node {
  readonly first: number;
  last: number;
  count: number;
  links: Link[];
  findings: RecentFinding[] | undefined;
  bytes: number;
}

export interface ActorInfo {
  readonly facet: Facet;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly requests: number;
  readonly linked: readonly { readonly facet: Facet; readonly weight: number }[];
  readonly findings: readonly RecentFinding[];
}

export interface ActorGraphOptions {
  readonly capBytes: number;
  readonly halfLifeMs: number;
  readonly maxLinksPerFacet: number;
  readonly findingsPerFacet: number;
}

/**
 * Estimated V8 heap per structure, from bench/identity-actor-memory.ts (heap delta / nodes at 5M IPs): a Map entry
 * plus the Node object and its empty links array, each link object plus its array slot, and one byte per
 * character of the one-byte facet strings (+ header).
 */
const NODE_BYTES = 224;
const NONE: readonly Facet[] = [];
const LINK_BYTES = 72;
const STRING_BYTES = 24;
const FINDING_BYTES = 72;

export class ActorGraph implements ActorLinks {
  #young = new Map<Facet, Node>();
  #old = new Map<Facet, Node>();
  #youngBytes = 0;
  #oldBytes = 0;
  readonly #o: ActorGraphOptions;
  #evicted = 0;
  readonly #scratchFacets: Facet[] = [];
  readonly #scratchNodes: Node[] = [];

  constructor(options: ActorGraphOptions) {
    this.#o = options;
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  /** Estimated bytes held, which generation turnover keeps under `capBytes`. */
  get bytes(): number {
    return this.#youngBytes + this.#oldBytes;
  }

  get evicted(): number {
    return this.#evicted;
  }

  observe(facets: readonly Facet[], now: number): void {
    // Scratch arrays reused across calls (observe is synchronous): this runs on every request.
    const list = this.#scratchFacets;
    const nodes = this.#scratchNodes;
    list.length = 0;
    nodes.length = 0;
    let n = 0;
    for (const f of facets) {
      if (f.startsWith('ja3:') || list.includes(f)) continue;
      list[n] = f;
      nodes[n] = this.#touch(f, now);
      n++;
    }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        this.#link(nodes[i]!, list[j]!, now);
        this.#link(nodes[j]!, list[i]!, now);
      }
    }
    nodes.length = 0; // drop the references until the next request
    this.#evictOverCap();
  }

  linked(facet: Facet, now: number): readonly Facet[] {
    const node = this.#young.get(facet) ?? this.#old.get(facet);
    if (node === undefined || node.links.length === 0) return NONE;
    // Scoring calls this on every request, so no per-link objects and no powers: a link's decayed weight is
    // 2^(s − now/halfLife), so "weight ≥ 0.01" is a bound on `s` and ranking by weight is ranking by `s`.
    const floor = Math.log2(0.01) + now / this.#o.halfLifeMs;
    const kept: Link[] = [];
    for (const l of node.links) {
      if (l.s < floor) continue;
      let i = kept.length;
      kept.push(l);
      while (i > 0 && kept[i - 1]!.s < l.s) {
        kept[i] = kept[i - 1]!;
        i--;
      }
      kept[i] = l;
    }
    return kept.map((l) => l.facet);
  }

  /** Remembers findings against the facets they concern (only facets the graph already knows). */
  noteFindings(facets: readonly Facet[], findings: readonly Finding[], now: number): void {
    const keep = this.#o.findingsPerFacet;
    if (keep === 0 || findings.length === 0) return;
    for (const f of facets) {
      if (!this.#young.has(f) && !this.#old.has(f)) continue;
      const node = this.#promote(f)!;
      node.findings ??= [];
      for (const finding of findings) {
        if (finding.facets !== undefined && !finding.facets.includes(f)) continue;
        const entry = { ruleId: finding.ruleId, severity: finding.severity, at: now, explanation: finding.explanation };
        node.findings.push(entry);
        this.#grow(node, FINDING_BYTES + entry.explanation.length + entry.ruleId.length);
        if (node.findings.length > keep) {
          const old = node.findings.shift()!;
          this.#grow(node, -(FINDING_BYTES + old.explanation.length + old.ruleId.length));
        }
      }
    }
    this.#evictOverCap();
  }

  info(facet: Facet, now: number): ActorInfo | undefined {
    const node = this.#young.get(facet) ?? this.#old.get(facet);
    if (node === undefined) return undefined;
    return {
      facet,
      firstSeen: node.first,
      lastSeen: node.last,
      requests: node.count,
      linked: this.#ranked(node, now).map((l) => ({ facet: l.facet, weight: Math.round(l.w * 1000) / 1000 })),
      findings: [...(node.findings ?? [])].reverse(),
    };
  }

  #decay(w: number, t: number, now: number): number {
    return now <= t ? w : w * 2 ** (-(now - t) / this.#o.halfLifeMs);
  }

  #ranked(node: Node, now: number): Link[] {
    return node.links
      .map((l) => ({ facet: l.facet, w: this.#decay(l.w, l.t, now), t: l.t, s: l.s }))
      .filter((l) => l.w >= 0.01)
      .sort((a, b) => b.w - a.w);
  }

  /** The node in the young generation, moved there from the old one if needed. */
  #promote(facet: Facet): Node | undefined {
    const young = this.#young.get(facet);
    if (young !== undefined) return young;
    const node = this.#old.get(facet);
    if (node === undefined) return undefined;
    this.#old.delete(facet);
    this.#oldBytes -= node.bytes;
    this.#young.set(facet, node);
    this.#youngBytes += node.bytes;
    return node;
  }

  #touch(facet: Facet, now: number): Node {
    const node = this.#promote(facet);
    if (node !== undefined) {
      node.last = now;
      node.count++;
      return node;
    }
    const created: Node = { first: now, last: now, count: 1, links: [], findings: undefined, bytes: 0 };
    this.#young.set(facet, created);
    this.#grow(created, NODE_BYTES + STRING_BYTES + facet.length);
    return created;
  }

  #link(node: Node, other: Facet, now: number): void {
    const links = node.links;
    for (let i = 0; i < links.length; i++) {
      const l = links[i]!;
      if (l.facet !== other) continue;
      l.w = this.#decay(l.w, l.t, now) + 1;
      l.t = now;
      l.s = Math.log2(l.w) + now / this.#o.halfLifeMs;
      return;
    }
    const s = now / this.#o.halfLifeMs;
    if (links.length < this.#o.maxLinksPerFacet) {
      links.push({ facet: other, w: 1, t: now, s });
      this.#grow(node, LINK_BYTES + STRING_BYTES + other.length);
      return;
    }
    let weakest = links[0]!;
    for (let i = 1; i < links.length; i++) if (links[i]!.s < weakest.s) weakest = links[i]!;
    if (weakest.s > s) return;
    this.#grow(node, other.length - weakest.facet.length);
    weakest.facet = other;
    weakest.w = 1;
    weakest.t = now;
    weakest.s = s;
  }

  /** Only nodes in the young generation grow (they were just touched or promoted). */
  #grow(node: Node, delta: number): void {
    node.bytes += delta;
    this.#youngBytes += delta;
  }

  #evictOverCap(): void {
    if (this.#youngBytes <= this.#o.capBytes / 2) return;
    this.#evicted += this.#old.size;
    this.#old = this.#young;
    this.#oldBytes = this.#youngBytes;
    this.#young = new Map();
    this.#youngBytes = 0;
  }
}

/** The graph as configured by the `identity.actors` section. */
export function createActorGraph(config: { readonly actors: IdentityConfig['actors'] }): ActorGraph {
  return new ActorGraph({
    capBytes: config.actors.memoryCapMb * 1024 * 1024,
    halfLifeMs: config.actors.linkHalfLifeMs,
    maxLinksPerFacet: config.actors.maxLinksPerFacet,
    findingsPerFacet: config.actors.findingsPerFacet,
  });
}

/** Feeds each request event's findings into the graph, so GET /api/v1/actors/:facet shows them. */
export function subscribeActorFindings(bus: EventBus, graph: ActorGraph): () => void {
  return bus.subscribe((event) => {
    if (event.type === 'request' && event.findings.length > 0) {
      graph.noteFindings(event.facets, event.findings, event.time);
    }
  });
}

export { actorRoutes } from './actor-routes.ts';
