import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActorLinks } from '../core/actor.ts';
import { type Clock, ManualClock } from '../core/clock.ts';
import type { Decision, DecisionKind, DecisionWriter, NewDecision } from '../core/decision.ts';
import type { Facet } from '../core/facet.ts';
import { DEFAULT_VERDICT } from '../core/verdict.ts';
import { EventBus } from '../events/bus.ts';
import { type BehaviourConfig, behaviourConfigSchema } from './config.ts';
import { type CounterStore, MemoryCounterStore } from './counter-store.ts';
import { type BehaviourEngine, type BehaviourSubject, createBehaviourEngine } from './engine.ts';
import { subnetOf } from './request-view.ts';

/**
 * An engine on a virtual clock with in-memory collaborators, for unit tests, the replay command and the
 * benchmark: decisions are kept in an array, links are "facets seen on one request", counters are embedded.
 */
export class RecordingDecisions implements DecisionWriter {
  readonly added: Decision[] = [];
  readonly #clock: Clock;
  constructor(clock: Clock) {
    this.#clock = clock;
  }
  async add(d: NewDecision, by: string): Promise<Decision> {
    const now = this.#clock.now();
    const decision: Decision = {
      id: `d${this.added.length + 1}`,
      kind: d.kind,
      value: d.value,
      action: d.action,
      reason: d.reason,
      source: d.source,
      createdBy: by,
      createdAt: now,
      ...(d.ttlMs !== undefined && { expiresAt: now + d.ttlMs }),
      ...(d.evidence !== undefined && { evidence: d.evidence }),
    };
    this.added.push(decision);
    return decision;
  }
  #active(d: Decision): boolean {
    return d.expiresAt === undefined || d.expiresAt > this.#clock.now();
  }
  /** Active decisions on this target, newest first (the DecisionWriter contract). */
  history(kind: DecisionKind, value: string): readonly Decision[] {
    return this.added.filter((d) => d.kind === kind && d.value === value && this.#active(d)).reverse();
  }
  /** What the gate would do: the active block on one of these facets (or the IP's subnet as a CIDR), if any. */
  blocking(facets: readonly Facet[]): Decision | undefined {
    for (const f of facets) {
      const colon = f.indexOf(':');
      const kind = f.slice(0, colon) === 'subnet' ? 'cidr' : f.slice(0, colon);
      const value = f.slice(colon + 1);
      const hit = this.added.find((d) => d.kind === kind && d.value === value && this.#active(d));
      if (hit) return hit;
    }
    return undefined;
  }
  blocks(facets: readonly Facet[]): boolean {
    return this.blocking(facets) !== undefined;
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

export function createHarness(
  overrides: Record<string, unknown> = {},
  disabledFamilies: string[] = [],
  parts: { clock?: ManualClock; counters?: CounterStore } = {},
): Harness {
  const config = behaviourConfigSchema.parse(overrides);
  const clock = parts.clock ?? new ManualClock();
  const decisions = new RecordingDecisions(clock);
  const events = new EventBus();
  const engine = createBehaviourEngine(config, {
    clock,
    links: { observe() {}, linked: () => [] },
    decisions,
    counters: parts.counters ?? new MemoryCounterStore(),
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
