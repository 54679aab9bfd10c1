import type { Clock } from '../core/clock.ts';
import type { DecisionKind, DecisionSource, DecisionWriter } from '../core/decision.ts';
import { newIncidentId } from '../core/incident-id.ts';
import type { EventBus } from '../events/bus.ts';
import type { BehaviourConfig } from './config.ts';
import { CappedLru } from './lru.ts';
import { blockTtlMs } from './policy.ts';

/**
 * Writes block decisions for the policy: fire-and-forget (the request path never waits on storage), deduplicated
 * while a block on the same target is in flight or active, with TTLs that escalate for repeat offenders.
 * The decision store's own history only lists *active* decisions, so offences are also remembered here, for
 * `offenceMemoryMs`, to escalate a client that comes back after its block expired.
 */
export interface BlockRequest {
  readonly kind: DecisionKind;
  readonly value: string;
  readonly reason: string;
  readonly source: DecisionSource;
  readonly incidentId: string;
  readonly note?: string;
}

export class Enforcer {
  readonly #p: BehaviourConfig['policy'];
  readonly #decisions: DecisionWriter;
  readonly #events: EventBus;
  readonly #clock: Clock;
  /** target → until (epoch ms): a block in flight or active, so bursts write one decision. */
  readonly #active: CappedLru<string, number>;
  readonly #offences: CappedLru<string, { count: number; last: number }>;
  #written = 0;
  #failed = 0;

  constructor(config: BehaviourConfig, deps: { decisions: DecisionWriter; events: EventBus; clock: Clock }) {
    this.#p = config.policy;
    this.#decisions = deps.decisions;
    this.#events = deps.events;
    this.#clock = deps.clock;
    this.#active = new CappedLru(config.windows.maxActors);
    this.#offences = new CappedLru(config.windows.maxActors);
  }

  /** True when a block on this target is already active or being written. */
  isBlocked(kind: DecisionKind, value: string): boolean {
    return (this.#active.get(`${kind}:${value}`) ?? 0) > this.#clock.now();
  }

  block(req: BlockRequest): void {
    const now = this.#clock.now();
    const target = `${req.kind}:${req.value}`;
    if ((this.#active.get(target) ?? 0) > now) return;
    const seen = this.#offences.get(target);
    const previous = seen !== undefined && now - seen.last <= this.#p.offenceMemoryMs ? seen.count : 0;
    const offences = Math.max(previous, this.#decisions.history(req.kind, req.value).length);
    const ttlMs = blockTtlMs(offences, this.#p);
    this.#offences.set(target, { count: offences + 1, last: now });
    this.#active.set(target, now + ttlMs);
    const note = req.note ?? `offence ${offences + 1}, ttl ${Math.round(ttlMs / 60_000)} min`;
    this.#decisions
      .add(
        {
          kind: req.kind,
          value: req.value,
          action: 'block',
          ttlMs,
          reason: req.reason,
          source: req.source,
          evidence: { incidentIds: [req.incidentId], note },
        },
        'behaviour',
      )
      .then(
        () => {
          this.#written++;
        },
        (error: unknown) => {
          this.#failed++;
          // Forget the dedupe entry so the next offending request tries again.
          this.#active.delete(target);
          this.#events.publish({
            type: 'system',
            id: newIncidentId(now),
            time: now,
            level: 'error',
            code: 'PC_ERR_BEHAVIOUR_DECISION_WRITE',
            message: `could not store the block on ${target}: ${error instanceof Error ? error.message : String(error)}`,
          });
        },
      );
  }

  stats(): { written: number; failed: number; active: number } {
    return { written: this.#written, failed: this.#failed, active: this.#active.size };
  }
}
