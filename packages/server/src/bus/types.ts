/**
 * The event bus: how committed events reach the parts of Vigil that react to them (alarms,
 * automation, the live stream). Only events already in the journal are published, so a
 * subscriber never acts on a fact that could still roll back.
 */
import type { VigilEvent } from '@vigil/core';

/**
 * Which events a subscriber wants. `types` entries are exact types (`door.forced_open`), a
 * domain wildcard (`door.*`) or `*`; absent means every type. `sites` absent means every site.
 */
export interface EventFilter {
  readonly types?: readonly string[];
  readonly sites?: readonly (string | null)[];
}

/**
 * Delivery is at least once: after a node restart or a NATS redelivery the same event (same id)
 * can arrive again, so handlers must be idempotent by event id. A handler's failure is logged and
 * does not stop delivery to other handlers or of later events.
 */
export type EventHandler = (event: VigilEvent) => void | Promise<void>;

export interface EventBus {
  /** Resolves once the events are handed to the bus (NATS: stored in the stream). */
  publish(events: readonly VigilEvent[]): Promise<void>;
  /** Registers a handler under its owner (the module name); returns a function that removes it. */
  subscribe(filter: EventFilter, handler: EventHandler, owner: string): () => void;
  /** Removes every handler the owner registered (called when a module stops). */
  unsubscribeAll(owner: string): void;
  start(): Promise<void>;
  /** Stops delivering; events already published are not lost. */
  stop(): Promise<void>;
}

export function matchesFilter(filter: EventFilter, event: Pick<VigilEvent, 'type' | 'site'>): boolean {
  if (filter.sites && !filter.sites.includes(event.site)) return false;
  if (!filter.types) return true;
  return filter.types.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.endsWith('.*')) return event.type.startsWith(pattern.slice(0, -1));
    return pattern === event.type;
  });
}
