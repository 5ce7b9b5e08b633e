/** What the alarm services share: storage, the journal port, fan-out, the clock. */
import type { EventDraft, VigilEvent } from '@vigil/core';
import type { Kysely, Transaction } from 'kysely';
import { commitWithEvents, type RecordEvents } from '../audit/index.js';
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

/** Runs a change and journals its events in one transaction, then fans them out (see the audit module). */
export const commit: <T>(
  ctx: AlarmsContext,
  work: (trx: Transaction<Database>) => Promise<{ result: T; events: EventDraft[] }>,
) => Promise<T> = commitWithEvents;
