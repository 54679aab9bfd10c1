import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActorLinks } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import type { Decision, DecisionKind, DecisionWriter, NewDecision } from '../core/decision.ts';
import type { Facet } from '../core/facet.ts';
import { DEFAULT_VERDICT } from '../core/verdict.ts';
import { EventBus } from '../events/bus.ts';
import { type BehaviourConfig, behaviourConfigSchema } from './config.ts';
import { MemoryCounterStore } from './counter-store.ts';
import { type BehaviourEngine, type BehaviourSubject, createBehaviourEngine } from './engine.ts';
import { subnetOf } from './request-view.ts';

/**
 * An engine on a virtual clock with in-memory collaborators, for unit tests, the replay command and the
 * benchmark: decisions are kept in an array, links are "facets seen on one request", counters are embedded.
 */
export class RecordingDecisions implements DecisionWriter {
  readonly added: Decision[] = [];
  async add(d: NewDecision, by: string): Promise<Decision> {
    const decision: Decision = {
      id: `d${this.added.length + 1}`,
      kind: d.kind,
      value: d.value,
      action: d.action,
      reason: d.reason,
      source: d.source,
      createdBy: by,
      createdAt: 0,
      ...(d.ttlMs !== undefined && { expiresAt: d.ttlMs }),
      ...(d.evidence !== undefined && { evidence: d.evidence }),
    };
    this.added.push(decision);
    return decision;
  }
  history(kind: DecisionKind, value: string): readonly Decision[] {
    return this.added.filter((d) => d.kind === kind && d.value === value);
  }
  /** What the gate would do: is any of these facets (or the IP's /24) blocked? */
  blocks(facets: readonly Facet[]): boolean {
    return facets.some((f) => {
      const colon = f.indexOf(':');
      const kind = f.slice(0, colon);
      const value = f.slice(colon + 1);
      if (kind === 'subnet') return this.added.some((d) => d.kind === 'cidr' && d.value === value);
      return this.added.some((d) => d.kind === kind && d.value === value);
    });
  }
}

/** Links facets seen together on a request, bounded; enough for tests and replay (identity has the real one). */
export class SimpleLinks implements ActorLinks {
  readonly #links = new Map<Facet, Set<Facet>>();
  observe(facets: readonly Facet[]): void {
    for (const a of facets) {
      if (!a.startsWith('ip:')) continue;
      const set = this.#links.get(a) ?? new Set();
      for (const b of facets) if (b !== a && set.size < 16) set.add(b);
      this.#links.set(a, set);
    }
  }
  linked(facet: Facet): readonly Facet[] {
    return [...(this.#links.get(facet) ?? [])];
  }
}

export interface Harness {
  readonly engine: BehaviourEngine;
  readonly clock: ManualClock;
  readonly decisions: RecordingDecisions;
  readonly config: BehaviourConfig;
  readonly events: EventBus;
}

export function createHarness(overrides: Record<string, unknown> = {}, disabledFamilies: string[] = []): Harness {
  const config = behaviourConfigSchema.parse(overrides);
  const clock = new ManualClock();
  const decisions = new RecordingDecisions();
  const events = new EventBus();
  const engine = createBehaviourEngine(config, {
    clock,
    links: { observe() {}, linked: () => [] },
    decisions,
    counters: new MemoryCounterStore(),
    events,
    dataDir: mkdtempSync(join(tmpdir(), 'pc-behaviour-')),
    disabledFamilies,
  });
  return { engine, clock, decisions, config, events };
}

export interface RequestSpec {
  readonly ip: string;
  readonly stack?: string;
  readonly method?: string;
  readonly path: string;
  readonly query?: string;
  readonly account?: string;
  readonly principal?: string;
  readonly accept?: string;
  readonly cookie?: string;
  readonly userAgent?: string;
  readonly enforce?: boolean;
}

export function subject(spec: RequestSpec, id = 'incident'): BehaviourSubject {
  const facets: Facet[] = [`ip:${spec.ip}`];
  const subnet = subnetOf(spec.ip);
  if (subnet) facets.push(subnet);
  if (spec.stack) facets.push(`http:${spec.stack}`);
  if (spec.principal) facets.push(`principal:${spec.principal}`);
  if (spec.account) facets.push(`account:${spec.account}`);
  const headers: Record<string, string> = {};
  if (spec.accept) headers.accept = spec.accept;
  if (spec.cookie) headers.cookie = spec.cookie;
  if (spec.userAgent) headers['user-agent'] = spec.userAgent;
  return {
    id,
    method: spec.method ?? 'GET',
    path: spec.path,
    rawQuery: spec.query ?? '',
    clientIp: spec.ip,
    facets,
    findings: [],
    verdict: DEFAULT_VERDICT,
    enforce: spec.enforce ?? true,
    notes: {},
    req: { headers },
    exempt: false,
  };
}

/**
 * One request through profile → score → act, then (when not stopped and not gated) the upstream's `status`
 * through observe. Returns the subject and whether the request reached the upstream.
 */
export function send(
  h: Harness,
  spec: RequestSpec,
  status: number,
  gate?: RecordingDecisions,
): { subject: BehaviourSubject; reached: boolean } {
  const s = subject(spec);
  if (gate?.blocks(s.facets))
    return { subject: { ...s, verdict: { action: 'block', reason: 'gate' } }, reached: false };
  h.engine.profile(s);
  h.engine.score(s);
  h.engine.act(s);
  const a = s.verdict.action;
  const stopped = s.enforce && (a === 'block' || a === 'challenge');
  if (stopped) return { subject: s, reached: false };
  (s as { upstream?: { status: number; latencyMs: number } }).upstream = { status, latencyMs: 5 };
  h.engine.observe(s);
  return { subject: s, reached: true };
}
