import type { PortcullisEvent } from './event.ts';

export type EventListener = (event: PortcullisEvent) => void;

/**
 * The side channel every part of Portcullis publishes events on (style rule 8). Publishing never throws and
 * never waits: a failing subscriber is reported once through `onListenerError` and stays subscribed.
 * (node:diagnostics_channel would do, but a typed local bus keeps one gateway's events apart from another's
 * when tests run several gateways in one process.)
 */
export class EventBus {
  #listeners: EventListener[] = [];
  #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  get hasListeners(): boolean {
    return this.#listeners.length > 0;
  }

  publish(event: PortcullisEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
