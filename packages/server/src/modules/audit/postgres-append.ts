/**
 * PostgreSQL's appends, each batch one statement: the rows arrive as one array per column
 * (unnest, storage/bulk-insert.ts) and the head moves in the same statement.
 *
 * insertIfTipUnchanged moves the head from the expected tip to the new one and inserts the batch
 * only if the head moved. The UPDATE takes the head's row lock; if another appender holds it,
 * PostgreSQL waits for it and re-checks the condition against the committed row, so a batch is
 * never linked to a tip that is no longer the tip.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import type { BulkInsert } from '../../storage/bulk-insert.js';
import type { Database } from '../../storage/schema.js';
import type { JournalEventsTable } from './tables.js';

export interface NewHead {
  seq: number;
  hash: string;
  updated_at: string;
}

export async function insertIfTipUnchanged(
  trx: Transaction<Database>,
  insert: BulkInsert<JournalEventsTable>,
  expected: { seq: number; hash: string },
  rows: readonly JournalEventsTable[],
  head: NewHead,
): Promise<boolean> {
  const batch = insert.unnest(rows, 0, rows.length, 6);
  const result = await trx.executeQuery(
    CompiledQuery.raw(
      `with moved as (
        update journal_head set seq = $1, hash = $2, updated_at = $3
        where id = 1 and seq = $4 and hash = $5
        returning id
      )
      insert into journal_events (${insert.columns}) ${batch.sql} where exists (select 1 from moved)`,
      [head.seq, head.hash, head.updated_at, expected.seq, expected.hash, ...batch.parameters],
    ),
  );
  return Number(result.numAffectedRows ?? 0) === rows.length;
}

/** Inserts the batch and moves the head to its end, the caller holding the head's row lock. */
export async function insertMovingHead(
  trx: Transaction<Database>,
  insert: BulkInsert<JournalEventsTable>,
  rows: readonly JournalEventsTable[],
  head: NewHead,
): Promise<void> {
  const last = Math.floor((rows.length - 1) / insert.rowsPerStatement) * insert.rowsPerStatement;
  if (last > 0) await insert.run(trx, rows.slice(0, last));
  const batch = insert.unnest(rows, last, rows.length, 4);
  // A data-modifying CTE: PostgreSQL runs the insert to completion as part of the update.
  await trx.executeQuery(
    CompiledQuery.raw(
      `with appended as (insert into journal_events (${insert.columns}) ${batch.sql})
      update journal_head set seq = $1, hash = $2, updated_at = $3 where id = 1`,
      [head.seq, head.hash, head.updated_at, ...batch.parameters],
    ),
  );
}
