/**
 * Handlers keyed by owner, shared by every bus implementation: stopping a module removes all it
 * registered in one call, so a restarted module cannot leave a stale listener behind.
 */
import type { VigilEvent } from '@vigil/core';
import type { Logger } from '../kernel/logger.js';
import { matchesFilter, type EventFilter, type EventHandler } from './types.js';

interface Listener {
  readonly filter: EventFilter;
  readonly handler: EventHandler;
}

export class Listeners {
  private readonly byOwner = new Map<string, Set<Listener>>();

  constructor(private readonly logger: Logger) {}

  add(filter: EventFilter, handler: EventHandler, owner: string): () => void {
    const listener: Listener = { filter, handler };
    let set = this.byOwner.get(owner);
    if (!set) this.byOwner.set(owner, (set = new Set()));
    set.add(listener);
    return () => {
      const current = this.byOwner.get(owner);
      current?.delete(listener);
      if (current?.size === 0) this.byOwner.delete(owner);
    };
  }

  removeOwner(owner: string): void {
    this.byOwner.delete(owner);
  }

  /** Number of handlers (all owners, or one owner's). */
  count(owner?: string): number {
    if (owner !== undefined) return this.byOwner.get(owner)?.size ?? 0;
    let total = 0;
    for (const set of this.byOwner.values()) total += set.size;
    return total;
  }

  /**
   * Calls every matching handler; a failing handler is logged, never rethrown. Returns a promise
   * only when some handler is asynchronous, so a batch of events with synchronous handlers is
   * delivered without a turn of the microtask queue per event.
   */
  deliver(event: VigilEvent): Promise<void> | undefined {
    let pending: Promise<void>[] | undefined;
    for (const [owner, set] of this.byOwner) {
      for (const { filter, handler } of set) {
        if (!matchesFilter(filter, event)) continue;
        try {
          const result = handler(event);
          if (result) (pending ??= []).push(result.catch((e: unknown) => this.report(owner, event, e)));
        } catch (e) {
          this.report(owner, event, e);
        }
      }
    }
    return pending && Promise.all(pending).then(() => undefined);
  }

  private report(owner: string, event: VigilEvent, error: unknown): void {
    this.logger.error({ owner, eventId: event.id, type: event.type, err: error }, 'event handler failed');
  }
}
