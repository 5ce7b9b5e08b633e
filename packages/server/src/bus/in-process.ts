/**
 * The default bus for one node: events go straight from the committing intake to the handlers in
 * this process, in commit order.
 */
import type { VigilEvent } from '@vigil/core';
import type { Logger } from '../kernel/logger.js';
import { Listeners } from './listeners.js';
import type { EventBus, EventFilter, EventHandler } from './types.js';

export class InProcessBus implements EventBus {
  private readonly listeners: Listeners;
  private stopped = false;

  constructor(options: { logger: Logger }) {
    this.listeners = new Listeners(options.logger);
  }

  async publish(events: readonly VigilEvent[]): Promise<void> {
    if (this.stopped) return;
    for (const event of events) {
      const pending = this.listeners.deliver(event);
      if (pending) await pending;
    }
  }

  subscribe(filter: EventFilter, handler: EventHandler, owner: string): () => void {
    return this.listeners.add(filter, handler, owner);
  }

  unsubscribeAll(owner: string): void {
    this.listeners.removeOwner(owner);
  }

  listenerCount(owner?: string): number {
    return this.listeners.count(owner);
  }

  start(): Promise<void> {
    this.stopped = false;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}
