import type { EventDraft, VigilEvent } from '@vigil/core';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { RecordEvents } from './journal.js';

export interface EventCommitPorts {
  readonly db: Kysely<Database>;
  readonly record: RecordEvents;
  /** Fans out events journaled in the transaction, after it committed (the intake's `publishCommitted`). */
  readonly publish: (events: readonly VigilEvent[]) => void;
}

/**
 * Runs a change and journals its events in one transaction, then fans the events out: what a
 * module does for every state change that others must hear about. `work` returns the result and
 * the drafts to journal; nothing is published when the transaction rolls back.
 */
export async function commitWithEvents<T>(
  ports: EventCommitPorts,
  work: (trx: Transaction<Database>) => Promise<{ result: T; events: EventDraft[] }>,
): Promise<T> {
  const { result, recorded } = await ports.db.transaction().execute(async (trx) => {
    const { result, events } = await work(trx);
    return { result, recorded: events.length > 0 ? await ports.record(trx, events) : [] };
  });
  ports.publish(recorded);
  return result;
}
