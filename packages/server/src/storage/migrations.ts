/**
 * The one forward-only migration set. Each module contributes its migrations; names begin with a
 * sequence number so they apply in a fixed order on every database.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { kernelError } from '../kernel/errors.js';
import { auditMigrations } from '../modules/audit/migrations.js';
import { facilityMigrations } from '../modules/facility/migrations.js';
import { intakeMigrations } from '../intake/migrations.js';
import { identityMigrations } from '../modules/identity/migrations.js';
import { peopleMigrations } from '../modules/people/migrations.js';
import { alarmMigrations } from '../modules/alarms/migrations.js';
import { automationMigrations } from '../modules/automation/migrations.js';
import { accessMigrations } from '../modules/access/migrations.js';
import type { Dialect } from './database.js';
import { installationMigrations } from './installation.js';
import type { Database } from './schema.js';

const moduleMigrations: Record<string, Migration>[] = [
  auditMigrations,
  facilityMigrations,
  identityMigrations,
  peopleMigrations,
  intakeMigrations,
  alarmMigrations,
  automationMigrations,
  accessMigrations,
  installationMigrations,
];

export function allMigrations(): Record<string, Migration> {
  const all: Record<string, Migration> = {};
  for (const set of moduleMigrations) {
    for (const [name, migration] of Object.entries(set)) {
      if (all[name]) throw new Error(`migration ${name} defined twice`);
      all[name] = migration;
    }
  }
  return all;
}

export interface MigrateOptions {
  dialect: Dialect;
  /** PostgreSQL schema holding the migration bookkeeping (defaults to the search path's first). */
  schema?: string;
}

/** Applies every pending migration, each in its own transaction; throws `storage.migration_failed`. */
export async function migrateToLatest(db: Kysely<Database>, options: MigrateOptions): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in any schema unless told which; on a PostgreSQL
  // database shared with other schemas it would find someone else's and skip creating its own.
  const schema = options.dialect === 'postgres' ? (options.schema ?? (await currentSchema(db))) : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(allMigrations()) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw kernelError('storage.migration_failed', `Migration ${failed ?? '(unknown)'} failed: ${(error as Error).message}`, {
      migration: failed,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw kernelError('storage.migration_failed', 'The PostgreSQL search path names no schema to migrate into');
  return schema;
}
