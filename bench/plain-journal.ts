/**
 * The baseline the journal benchmarks compare against: the same rows the journal would write, in a
 * table with the same columns and secondary indexes, but without validation, canonical encoding
 * or hashing.
 */
import { newId, type EventDraft } from '@vigil/core';
import { sql, type Kysely } from 'kysely';
import type { JournalEventsTable } from '../packages/server/src/modules/audit/tables.js';
import type { Database } from '../packages/server/src/storage/schema.js';

const PLACEHOLDER_HASH = 'f'.repeat(64);

export type PlainDatabase = Database & { journal_events_plain: JournalEventsTable };

export function plainRows(drafts: readonly EventDraft[], firstSeq: number): JournalEventsTable[] {
  const recordedAt = new Date().toISOString();
  return drafts.map((d, i) => ({
    seq: firstSeq + i,
    id: newId(),
    type: d.type,
    at: recordedAt,
    recorded_at: recordedAt,
    site: d.site,
    source: d.source,
    subject: d.subject ?? null,
    zone: d.zone ?? null,
    door: d.door ?? null,
    correlation_id: null,
    data: JSON.stringify(d.data),
    prev_hash: PLACEHOLDER_HASH,
    hash: PLACEHOLDER_HASH,
  }));
}

export async function createPlainJournalTable(db: Kysely<Database>): Promise<Kysely<PlainDatabase>> {
  await db.schema
    .createTable('journal_events_plain')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('site', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('zone', 'text')
    .addColumn('door', 'text')
    .addColumn('correlation_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  for (const [name, columns] of [
    ['plain_site_at', ['site', 'at']],
    ['plain_type_at', ['type', 'at']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('journal_events_plain')
      .columns([...columns])
      .execute();
  }
  // Partial, as the journal's are (audit migration 0011).
  for (const column of ['subject', 'door'] as const) {
    await db.schema
      .createIndex(`plain_${column}_at`)
      .on('journal_events_plain')
      .columns([column, 'at'])
      .where(sql.ref(column), 'is not', null)
      .execute();
  }
  return db.withTables<{ journal_events_plain: JournalEventsTable }>();
}
