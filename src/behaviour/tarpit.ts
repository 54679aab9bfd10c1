import type { BehaviourConfig } from './config.ts';

/**
 * Tarpit: hold a suspicious client's request before forwarding it, so automation slows to a crawl while a person
 * who tripped a threshold by accident only waits. Holding costs a socket and the buffered request, so the pit has
 * global caps, all checked before admitting (docs/rationale.md, "Tarpit caps"):
 *
 *   maxHeld        requests held at once, across all clients
 *   maxHeldPerIp   per client address, so one flood cannot fill the pit alone
 *   maxHeldBytes   estimated memory of held requests (headers + buffered body)
 *   maxDelayMs     no request is held longer, whatever the verdict asked
 *
 * Past any cap `hold` answers `false` and the caller blocks instead: tarpitting can never exhaust the gateway.
 * A held request is released early when its client goes away.
 */
export interface TarpitStats {
  readonly held: number;
  readonly heldBytes: number;
  readonly admitted: number;
  readonly refused: number;
}

export class Tarpit {
  readonly #t: BehaviourConfig['tarpit'];
  readonly #perIp = new Map<string, number>();
  #held = 0;
  #heldBytes = 0;
  #admitted = 0;
  #refused = 0;

  constructor(config: BehaviourConfig['tarpit']) {
    this.#t = config;
  }

  /** Resolves true after the delay (or when `abort` fires), false at once when a cap is reached. */
  async hold(ip: string, bytes: number, delayMs: number, abort?: AbortSignal): Promise<boolean> {
    const perIp = this.#perIp.get(ip) ?? 0;
    if (
      this.#held >= this.#t.maxHeld ||
      perIp >= this.#t.maxHeldPerIp ||
      this.#heldBytes + bytes > this.#t.maxHeldBytes
    ) {
      this.#refused++;
      return false;
    }
    this.#held++;
    this.#heldBytes += bytes;
    this.#perIp.set(ip, perIp + 1);
    this.#admitted++;
    try {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(Math.max(0, delayMs), this.#t.maxDelayMs));
        function done(): void {
          clearTimeout(timer);
          abort?.removeEventListener('abort', done);
          resolve();
        }
        abort?.addEventListener('abort', done, { once: true });
      });
      return true;
    } finally {
      this.#held--;
      this.#heldBytes -= bytes;
      const left = (this.#perIp.get(ip) ?? 1) - 1;
      if (left <= 0) this.#perIp.delete(ip);
      else this.#perIp.set(ip, left);
    }
  }

  /** Delay for a risk between the tarpit and block thresholds: linear from minDelayMs to maxDelayMs. */
  delayFor(risk: number, from: number, to: number): number {
    const share = to > from ? Math.min(1, Math.max(0, (risk - from) / (to - from))) : 1;
    return Math.round(this.#t.minDelayMs + share * (this.#t.maxDelayMs - this.#t.minDelayMs));
  }

  stats(): TarpitStats {
    return { held: this.#held, heldBytes: this.#heldBytes, admitted: this.#admitted, refused: this.#refused };
  }
}
