/** What the alarm services share: storage, the journal port, fan-out, the clock. */
import type { EventDraft, VigilEvent } from '@vigil/core';
import type { Kysely, Transaction } from 'kysely';
import type { RecordEvents } from '../audit/index.js';
import type { Database } from '../../storage/schema.js';
export { isUniqueViolation } from '../../storage/constraint-errors.js';
import type { Logger } from '../../kernel/logger.js';

export interface AlarmsContext {
  readonly db: Kysely<Database>;
  readonly record: RecordEvents;
  /** Fans out events journaled in a transaction of ours, after it committed (the intake's `publishCommitted`). */
  readonly publish: (events: readonly VigilEvent[]) => void;
  readonly clock: () => Date;
  readonly logger: Logger;
}

/**
 * Runs a change and records its events in one transaction, then fans the events out. `work`
 * returns the result and the drafts to journal.
 */
export async function commit<T>(
  ctx: AlarmsContext,
  work: (trx: Transaction<Database>) => Promise<{ result: T; events: EventDraft[] }>,
): Promise<T> {
  const { result, recorded } = await ctx.db.transaction().execute(async (trx) => {
    const { result, events } = await work(trx);
    return { result, recorded: events.length > 0 ? await ctx.record(trx, events) : [] };
  });
  ctx.publish(recorded);
  return result;
}
