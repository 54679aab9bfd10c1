/**
 * Keeps the event volume of let-through requests bounded. A request that was blocked, challenged or tarpitted
 * (or would have been, in monitor mode) always gets its event: that is what an operator searches for by incident
 * id. A request that merely carried findings below the blocking severity, or came from an allow-listed client,
 * is evidence already summarised in metrics and risk; one event per client per `intervalMs` is enough to see it,
 * and without this a busy gateway with one noisy-but-harmless client writes an event per request.
 *
 * Memory is bounded: past `maxKeys` clients the table is cleared (at worst a few extra events).
 */
export class EventSampler {
  readonly #last = new Map<string, number>();
  readonly #intervalMs: number;
  readonly #maxKeys: number;
  #suppressed = 0;

  constructor(options: { intervalMs?: number; maxKeys?: number } = {}) {
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  get suppressed(): number {
    return this.#suppressed;
  }

  /** true when `key` (a client) has had no sampled event in the last interval; records the emission. */
  admit(key: string, now: number): boolean {
    const last = this.#last.get(key);
    if (last !== undefined && now - last < this.#intervalMs) {
      this.#suppressed++;
      return false;
    }
    if (this.#last.size >= this.#maxKeys) this.#last.clear();
    this.#last.set(key, now);
    return true;
  }
}
