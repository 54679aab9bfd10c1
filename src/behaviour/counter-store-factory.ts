import type { Clock } from '../core/clock.ts';
import { newIncidentId } from '../core/incident-id.ts';
import type { EventBus } from '../events/bus.ts';
import { type CounterStore, MemoryCounterStore } from './counter-store.ts';
import { RedisCounterStore } from './redis-counter-store.ts';

/**
 * Builds the counter store the configuration asks for (`store.kind`): embedded, or Redis shared by every node.
 * A Redis outage is reported once as a system event (PC_ERR_BEHAVIOUR_COUNTERS_UNREACHABLE) and its end once
 * more; meanwhile every node keeps judging on its own local counts (fail open for the counters, never for the
 * request path: decisions already made still apply at the gate).
 */
export interface CounterStoreSettings {
  readonly kind: 'embedded' | 'redis';
  readonly redisUrl: string;
  readonly redisPrefix: string;
}

export function createCounterStore(
  settings: CounterStoreSettings,
  deps: { clock: Clock; events: EventBus; maxKeys?: number },
): CounterStore {
  if (settings.kind === 'embedded') {
    return new MemoryCounterStore(deps.maxKeys === undefined ? {} : { maxKeys: deps.maxKeys });
  }
  return new RedisCounterStore({
    url: settings.redisUrl,
    prefix: `${settings.redisPrefix}counters:`,
    clock: deps.clock,
    onStatus(connected, error) {
      const now = deps.clock.now();
      deps.events.publish({
        type: 'system',
        id: newIncidentId(now),
        time: now,
        level: connected ? 'info' : 'warn',
        code: 'PC_ERR_BEHAVIOUR_COUNTERS_UNREACHABLE',
        message: connected
          ? 'Redis for shared counters is reachable again; nodes aggregate their counts again'
          : `Redis for shared counters is unreachable (${error instanceof Error ? error.message : String(error)}); each node judges on its own counts`,
      });
    },
  });
}
