/**
 * The journal is the outbox. The intake publishes each group right after it commits (the fast
 * path); the relay makes sure every journaled event reaches the stream even when that did not
 * happen: the node died between commit and publish, NATS was down, or a module journaled events
 * in its own transaction. It reads the journal from a shared cursor and publishes in seq order;
 * the stream's duplicate window (event id = message id) turns what the fast path already published
 * into no-ops.
 *
 * Every node runs one. They do not lock: two relays publishing the same page cost a duplicate
 * publish, never a duplicate delivery, and the cursor only moves forward.
 */
import type { Kysely } from 'kysely';
import type { EventBus } from '../bus/index.js';
import type { Logger } from '../kernel/logger.js';
import { rowToEvent } from '../modules/audit/index.js';
import type { Database } from '../storage/schema.js';

export interface JournalRelayOptions {
  db: Kysely<Database>;
  bus: Pick<EventBus, 'publish'>;
  logger: Logger;
  /** How often to sweep (default 1 s; a sweep also follows a failed fast-path publish). */
  intervalMs?: number;
  pageSize?: number;
  clock?: () => Date;
}

export class JournalRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = true;
  private relayed = 0;

  constructor(private readonly options: JournalRelayOptions) {}

  start(): void {
    this.stopped = false;
    this.arm();
  }

  /** Stops the timer and runs a last sweep, so a graceful stop leaves the cursor current. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => 0);
    await this.sweep().catch((e: unknown) => this.options.logger.warn({ err: e }, 'final relay sweep failed'));
  }

  /** Asks for a sweep soon (after a failed publish). */
  nudge(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), 100);
  }

  get totalRelayed(): number {
    return this.relayed;
  }

  /** Publishes every event after the cursor; resolves to how many it published. */
  sweep(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = this.sweepAll().finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async sweepAll(): Promise<number> {
    const { db, bus } = this.options;
    const pageSize = this.options.pageSize ?? 1000;
    let total = 0;
    do {
      this.again = false;
      for (;;) {
        const cursor = await db.selectFrom('intake_bus_cursor').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
        const rows = await db
          .selectFrom('journal_events')
          .selectAll()
          .where('seq', '>', cursor.seq)
          .orderBy('seq')
          .limit(pageSize)
          .execute();
        if (rows.length === 0) break;
        await bus.publish(rows.map(rowToEvent));
        const last = rows[rows.length - 1]!.seq;
        await db
          .updateTable('intake_bus_cursor')
          .set({ seq: last, updated_at: (this.options.clock?.() ?? new Date()).toISOString() })
          .where('id', '=', 1)
          .where('seq', '<', last)
          .execute();
        total += rows.length;
        this.relayed += rows.length;
        if (rows.length < pageSize) break;
      }
    } while (this.again);
    return total;
  }

  private tick(): void {
    this.sweep()
      .catch((e: unknown) => this.options.logger.warn({ err: e }, 'relay sweep failed; retrying'))
      .finally(() => this.arm());
  }

  private arm(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), this.options.intervalMs ?? 1000);
  }
}
