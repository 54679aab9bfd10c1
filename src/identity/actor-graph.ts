import type { ActorLinks } from '../core/actor.ts';
import type { Facet } from '../core/facet.ts';
import type { Finding, Severity } from '../core/finding.ts';
import type { EventBus } from '../events/bus.ts';
import type { IdentityConfig } from './config.ts';

/**
 * Facets seen together on requests, linked into actors with decaying weights and a hard memory cap.
 *
 *   #nodes: Map<Facet, Node>, kept in least-recently-seen order (a touched node is re-inserted at the end)
 *
 *     ip:203.0.113.7 ──┐        Node { first, last, count,
 *     subnet:…/24  ────┼──────►        links: [{ facet, w, t }, …]  ≤ maxLinksPerFacet, weakest replaced
 *     tls:t13d…    ────┤               findings: [{ ruleId, … }]    ≤ findingsPerFacet, oldest dropped }
 *     http:11tn…   ────┘
 *
 * A link's weight decays as w·2^(−Δt/halfLife) and gains 1 each time the pair is seen again. Memory is bounded
 * twice: per node (links and findings are capped, so a fingerprint shared by a million IPs holds 16 links) and in
 * total (estimated bytes per node; past `capBytes` the least recently seen nodes are evicted, oldest first, so a
 * flood of single-request IPs recycles the same budget instead of growing). `ja3:` facets are not linked: Chrome
 * randomises its extension order per connection, so its JA3 is a fresh value on every connection and would only
 * churn the graph; `tls:` (JA4) carries the same client information stably.
 */

export interface RecentFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly at: number;
  readonly explanation: string;
}

interface Link {
  readonly facet: Facet;
  w: number;
  t: number;
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
const NODE_BYTES = 200;
const LINK_BYTES = 56;
const STRING_BYTES = 24;
const FINDING_BYTES = 72;

export class ActorGraph implements ActorLinks {
  readonly #nodes = new Map<Facet, Node>();
  readonly #o: ActorGraphOptions;
  #bytes = 0;
  #evicted = 0;

  constructor(options: ActorGraphOptions) {
    this.#o = options;
  }

  get size(): number {
    return this.#nodes.size;
  }

  /** Estimated bytes held, which eviction keeps under `capBytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  get evicted(): number {
    return this.#evicted;
  }

  observe(facets: readonly Facet[], now: number): void {
    const list: Facet[] = [];
    const nodes: Node[] = [];
    for (const f of facets) {
      if (f.startsWith('ja3:') || list.includes(f)) continue;
      list.push(f);
      nodes.push(this.#touch(f, now));
    }
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        this.#link(nodes[i]!, list[j]!, now);
        this.#link(nodes[j]!, list[i]!, now);
      }
    }
    this.#evictOverCap();
  }

  linked(facet: Facet, now: number): readonly Facet[] {
    const node = this.#nodes.get(facet);
    if (node === undefined) return [];
    return this.#ranked(node, now).map((l) => l.facet);
  }

  /** Remembers findings against the facets they concern (only facets the graph already knows). */
  noteFindings(facets: readonly Facet[], findings: readonly Finding[], now: number): void {
    const keep = this.#o.findingsPerFacet;
    if (keep === 0 || findings.length === 0) return;
    for (const f of facets) {
      const node = this.#nodes.get(f);
      if (node === undefined) continue;
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
    const node = this.#nodes.get(facet);
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
      .map((l) => ({ facet: l.facet, w: this.#decay(l.w, l.t, now), t: l.t }))
      .filter((l) => l.w >= 0.01)
      .sort((a, b) => b.w - a.w);
  }

  #touch(facet: Facet, now: number): Node {
    let node = this.#nodes.get(facet);
    if (node === undefined) {
      node = { first: now, last: now, count: 1, links: [], findings: undefined, bytes: 0 };
      this.#nodes.set(facet, node);
      this.#grow(node, NODE_BYTES + STRING_BYTES + facet.length);
      return node;
    }
    // Re-insert to move it to the young end of the Map's insertion order (the eviction order).
    this.#nodes.delete(facet);
    this.#nodes.set(facet, node);
    node.last = now;
    node.count++;
    return node;
  }

  #link(node: Node, other: Facet, now: number): void {
    const links = node.links;
    let weakest = -1;
    let weakestW = Number.POSITIVE_INFINITY;
    for (let i = 0; i < links.length; i++) {
      const l = links[i]!;
      if (l.facet === other) {
        l.w = this.#decay(l.w, l.t, now) + 1;
        l.t = now;
        return;
      }
      const w = this.#decay(l.w, l.t, now);
      if (w < weakestW) {
        weakestW = w;
        weakest = i;
      }
    }
    if (links.length < this.#o.maxLinksPerFacet) {
      links.push({ facet: other, w: 1, t: now });
      this.#grow(node, LINK_BYTES + STRING_BYTES + other.length);
    } else if (weakest !== -1) {
      const old = links[weakest]!;
      links[weakest] = { facet: other, w: 1, t: now };
      this.#grow(node, other.length - old.facet.length);
    }
  }

  #grow(node: Node, delta: number): void {
    node.bytes += delta;
    this.#bytes += delta;
  }

  #evictOverCap(): void {
    while (this.#bytes > this.#o.capBytes && this.#nodes.size > 0) {
      const oldest = this.#nodes.keys().next().value as Facet;
      const node = this.#nodes.get(oldest)!;
      this.#nodes.delete(oldest);
      this.#bytes -= node.bytes;
      this.#evicted++;
    }
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
