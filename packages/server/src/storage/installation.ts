/**
 * The installation's identity: a random id generated once, by the first node that asks, and
 * stored in the database. Every node of one installation shares the database and so
 * the id; another installation (its own database) has another. Names that must differ between
 * installations but agree between nodes (the MQTT shared-subscription group) derive from it.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Migration } from 'kysely';
import type { Database } from './schema.js';

export const installationMigrations: Record<string, Migration> = {
  '0018_installation': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('installation')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('installation_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

/**
 * This installation's id, created on first use. Nodes starting together on one database race to
 * insert the one row; the losers' inserts do nothing and everyone reads the winner's id.
 */
export async function installationId(db: Kysely<Database>, clock: () => Date = () => new Date()): Promise<string> {
  await db
    .insertInto('installation')
    .values({ id: 1, installation_id: randomUUID(), created_at: clock().toISOString() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('installation').select('installation_id').where('id', '=', 1).executeTakeFirstOrThrow();
  return row.installation_id;
}
