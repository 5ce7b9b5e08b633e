/**
 * The one forward-only migration set. Each module contributes its migrations; names begin with a
 * sequence number so they apply in a fixed order on every database.
 */
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { kernelError } from '../kernel/errors.js';
import { auditMigrations } from '../modules/audit/migrations.js';
import type { Dialect } from './database.js';
import type { Database } from './schema.js';

const moduleMigrations: Record<string, Migration>[] = [auditMigrations];

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
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(allMigrations()) },
    ...(options.dialect === 'postgres' && options.schema ? { migrationTableSchema: options.schema } : {}),
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
