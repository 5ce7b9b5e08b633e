import { sql, type Kysely, type Migration } from 'kysely';

export const intakeMigrations: Record<string, Migration> = {
  '0006_intake_bus_cursor': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('intake_bus_cursor')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Events journaled before the relay existed are history, not news: start at the journal's tip.
      await sql`insert into intake_bus_cursor (id, seq, updated_at)
        select 1, seq, ${new Date().toISOString()} from journal_head where id = 1`.execute(db);
    },
  },
};
