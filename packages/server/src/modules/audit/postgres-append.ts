/**
 * PostgreSQL's one-statement append: move the head from the expected tip to the new one and insert
 * the batch only if the head moved. The UPDATE takes the head's row lock; if another appender
 * holds it, PostgreSQL waits for it and re-checks the condition against the committed row, so a
 * batch is never linked to a tip that is no longer the tip.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { JournalEventsTable } from './tables.js';

export async function insertIfTipUnchanged(
  trx: Transaction<Database>,
  expected: { seq: number; hash: string },
  rows: readonly JournalEventsTable[],
  head: { seq: number; hash: string; updated_at: string },
): Promise<boolean> {
  // Values in a VALUES list have no column to infer a type from: seq is cast, the rest is text.
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.seq}::bigint, ${r.id}, ${r.type}, ${r.at}, ${r.recorded_at}, ${r.site}, ${r.source}, ${r.subject}, ${r.zone}, ${r.door}, ${r.correlation_id}, ${r.data}, ${r.prev_hash}, ${r.hash})`,
    ),
  );
  const result = await sql`
    with moved as (
      update journal_head set seq = ${head.seq}, hash = ${head.hash}, updated_at = ${head.updated_at}
      where id = 1 and seq = ${expected.seq} and hash = ${expected.hash}
      returning id
    )
    insert into journal_events (seq, id, type, at, recorded_at, site, source, subject, zone, door, correlation_id, data, prev_hash, hash)
    select * from (values ${values}) as batch (seq, id, type, at, recorded_at, site, source, subject, zone, door, correlation_id, data, prev_hash, hash)
    where exists (select 1 from moved)`.execute(trx);
  return Number(result.numAffectedRows ?? 0) === rows.length;
}
