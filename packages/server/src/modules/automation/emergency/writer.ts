/**
 * Writes that must not stand in the way of a fire plan. A plan's doors are commanded from memory
 * first; the record of it (activation row, per-door timings, journal entries) goes through here.
 * When the database fails, writes wait in order and are retried until they succeed, so the record
 * is completed once the database is back — and the doors never waited for it.
 */
import type { Logger } from '../../../kernel/logger.js';

const MAX_QUEUED = 10_000;

export class ResilientWriter {
  private readonly queue: { label: string; write: () => Promise<void> }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly retryMs = 2000,
  ) {}

  /** Runs the write now, or after those already waiting; never throws. */
  async write(label: string, write: () => Promise<void>): Promise<void> {
    if (this.queue.length === 0 && !this.draining) {
      try {
        await write();
        return;
      } catch (e) {
        this.logger.error({ err: e, write: label }, 'emergency record write failed; it will be retried');
      }
    }
    if (this.queue.length >= MAX_QUEUED) {
      const dropped = this.queue.shift();
      this.logger.error({ write: dropped?.label }, 'emergency record backlog full; dropped the oldest write');
    }
    this.queue.push({ label, write });
    this.arm();
  }

  get backlog(): number {
    return this.queue.length;
  }

  /** Tries the waiting writes now (in order); resolves when the queue is empty or a write failed again. */
  flush(): Promise<void> {
    if (this.draining) return this.draining;
    this.draining = (async () => {
      while (this.queue.length > 0) {
        const next = this.queue[0]!;
        try {
          await next.write();
          this.queue.shift();
        } catch (e) {
          this.logger.warn({ err: e, write: next.label, backlog: this.queue.length }, 'emergency record still not writable');
          return;
        }
      }
    })().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0) this.arm();
    });
    return this.draining;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.retryMs);
    this.timer.unref();
  }
}
