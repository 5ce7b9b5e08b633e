import { sql, type Kysely, type Migration } from 'kysely';

export const auditMigrations: Record<string, Migration> = {
  '0001_audit_journal': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('journal_events')
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
      // Journal search: by site and time (the console's default view), by type, by subject
      // (a person's history), by door (a door's recent events).
      await db.schema.createIndex('journal_events_site_at').on('journal_events').columns(['site', 'at']).execute();
      await db.schema.createIndex('journal_events_type_at').on('journal_events').columns(['type', 'at']).execute();
      await db.schema.createIndex('journal_events_subject_at').on('journal_events').columns(['subject', 'at']).execute();
      await db.schema.createIndex('journal_events_door_at').on('journal_events').columns(['door', 'at']).execute();

      await db.schema
        .createTable('journal_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into journal_head (id, seq, hash, updated_at) values (1, 0, ${'0'.repeat(64)}, ${new Date().toISOString()})`.execute(
        db,
      );

      await db.schema
        .createTable('journal_checkpoints')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('signed_at', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // Results of on-demand verifications, so the console can show the latest one.
  '0010_audit_verifications': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('journal_verifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .addColumn('intact', 'integer', (c) => c.notNull())
        .addColumn('events', 'bigint', (c) => c.notNull())
        .addColumn('first_seq', 'bigint')
        .addColumn('last_seq', 'bigint')
        .addColumn('checkpoints_verified', 'bigint', (c) => c.notNull())
        .addColumn('problem_seq', 'bigint')
        .addColumn('problem_reason', 'text')
        .addColumn('problem_detail', 'text')
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('journal_verifications_started').on('journal_verifications').column('started_at').execute();
    },
  },
  // Checkpoints record the interval in force (verification follows it, not the configuration of
  // the day), and the public keys that signed them are kept with them. The door and subject indexes become partial: both are only ever searched by
  // equality, which implies not null, and most events have no door (and some no subject), so an
  // append no longer writes an index entry that no query can use.
  '0011_audit_checkpoint_every_signers': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('journal_checkpoints').addColumn('checkpoint_every', 'bigint').execute();
      // The public key of every key that signed a checkpoint, so a backup carries what a restored
      // installation needs to verify its journal (never the private key).
      await db.schema
        .createTable('journal_signers')
        .addColumn('key_id', 'text', (c) => c.primaryKey())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('first_signed_at', 'text', (c) => c.notNull())
        .execute();
      for (const column of ['door', 'subject'] as const) {
        const index = `journal_events_${column}_at`;
        await db.schema.dropIndex(index).execute();
        await db.schema.createIndex(index).on('journal_events').columns([column, 'at']).where(sql.ref(column), 'is not', null).execute();
      }
    },
  },
  // The further subjects of events that concern more than one (a CSV import's batch event names
  // every person it registered), so a search by subject finds them. Derived from the hashed event
  // data, so verification can check it against the data.
  '0020_audit_event_subjects': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('journal_event_subjects')
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('journal_event_subjects_pk', ['seq', 'subject'])
        .execute();
      // Search reads by subject; verification reads by seq (the primary key).
      await db.schema.createIndex('journal_event_subjects_subject').on('journal_event_subjects').columns(['subject', 'seq']).execute();
    },
  },
};
