/**
 * What a backup needs to know about a live database, asked of the database itself rather than of
 * the TypeScript schema: the tables that exist, their columns and primary keys, and the migrations
 * applied. A backup then covers every module's tables, including ones added after this file was
 * written. Kysely's own bookkeeping tables are not data and are never copied.
 */
import { Migrator, sql, type Kysely } from 'kysely';
import { kernelError } from '../kernel/errors.js';
import { openSqlite, type DatabaseHandle, type Dialect } from './database.js';
import { allMigrations } from './migrations.js';
import type { Database } from './schema.js';

/** Any Kysely executor (database or transaction); tables are addressed dynamically by name. */
export type AnyExecutor = Pick<Kysely<Database>, 'getExecutor'>;

const BOOKKEEPING = new Set(['kysely_migration', 'kysely_migration_lock']);

export interface TableShape {
  name: string;
  columns: string[];
  /** Primary-key columns in key order (empty when the table has none). */
  primaryKey: string[];
}

export function isBookkeeping(table: string): boolean {
  return BOOKKEEPING.has(table);
}

async function rows<T>(db: AnyExecutor, query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

/** Every table in the database (or the PostgreSQL search path's first schema), by name. */
export async function listTables(db: AnyExecutor, dialect: Dialect, withBookkeeping = false): Promise<string[]> {
  const found =
    dialect === 'sqlite'
      ? await rows<{ name: string }>(
          db,
          sql`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'`,
        )
      : await rows<{ name: string }>(
          db,
          sql`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`,
        );
  return found
    .map((r) => r.name)
    .filter((name) => withBookkeeping || !isBookkeeping(name))
    .sort();
}

export async function tableShape(db: AnyExecutor, dialect: Dialect, table: string): Promise<TableShape> {
  if (dialect === 'sqlite') {
    const info = await rows<{ name: string; pk: number }>(db, sql`select name, pk from pragma_table_info(${table}) order by cid`);
    return {
      name: table,
      columns: info.map((c) => c.name),
      primaryKey: info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
    };
  }
  const columns = await rows<{ name: string }>(
    db,
    sql`select column_name as name from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} order by ordinal_position`,
  );
  const key = await rows<{ name: string }>(
    db,
    sql`select k.column_name as name
        from information_schema.table_constraints c
        join information_schema.key_column_usage k
          on k.constraint_schema = c.constraint_schema and k.constraint_name = c.constraint_name and k.table_name = c.table_name
        where c.table_schema = current_schema() and c.table_name = ${table} and c.constraint_type = 'PRIMARY KEY'
        order by k.ordinal_position`,
  );
  return { name: table, columns: columns.map((c) => c.name), primaryKey: key.map((c) => c.name) };
}

export async function describeTables(db: AnyExecutor, dialect: Dialect): Promise<TableShape[]> {
  const shapes: TableShape[] = [];
  for (const table of await listTables(db, dialect)) shapes.push(await tableShape(db, dialect, table));
  return shapes;
}

/** Names of the migrations applied, in order; empty for a database never migrated. */
export async function appliedMigrations(db: AnyExecutor, dialect: Dialect): Promise<string[]> {
  const tables = await listTables(db, dialect, true);
  if (!tables.includes('kysely_migration')) return [];
  const applied = await rows<{ name: string }>(db, sql`select name from kysely_migration order by name`);
  return applied.map((r) => r.name);
}

/** The migrations this build of Vigil knows, in the order they apply. */
export function knownMigrations(): string[] {
  return Object.keys(allMigrations()).sort();
}

export function isPrefix(prefix: readonly string[], of: readonly string[]): boolean {
  return prefix.length <= of.length && prefix.every((name, i) => of[i] === name);
}

/** The PostgreSQL schema the connection works in (its search path's first), where migrations keep their bookkeeping. */
export async function currentSchema(handle: DatabaseHandle): Promise<string | undefined> {
  if (handle.dialect !== 'postgres') return undefined;
  const [row] = await rows<{ schema: string }>(handle.db, sql`select current_schema() as schema`);
  return row?.schema;
}

/**
 * Applies known migrations up to and including `last` (nothing when null). Restoring an older
 * backup needs the target at the backup's level first; later migrations run over the restored data.
 */
export async function migrateTo(handle: DatabaseHandle, last: string | null): Promise<string[]> {
  if (last === null) return [];
  const schema = await currentSchema(handle);
  const migrator = new Migrator({
    db: handle.db,
    provider: { getMigrations: () => Promise.resolve(allMigrations()) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateTo(last);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw kernelError('storage.migration_failed', `Migration ${failed ?? '(unknown)'} failed: ${(error as Error).message}`, {
      migration: failed,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies every pending migration (the PostgreSQL bookkeeping kept in the connection's own schema). */
export async function migrateAll(handle: DatabaseHandle): Promise<string[]> {
  const known = knownMigrations();
  return migrateTo(handle, known[known.length - 1] ?? null);
}

export async function rowCount(db: AnyExecutor, table: string): Promise<number> {
  const [row] = await rows<{ n: number | string }>(db, sql`select count(*) as n from ${sql.table(table)}`);
  return Number(row?.n ?? 0);
}

/**
 * Row counts of a database freshly migrated to the same migrations: migrations may seed rows (the
 * journal head, say), and a database holding only those is still empty for a restore.
 */
async function pristineCounts(migrations: readonly string[]): Promise<Map<string, number>> {
  const scratch = openSqlite({ file: ':memory:' });
  try {
    await migrateTo(scratch, migrations[migrations.length - 1] ?? null);
    const counts = new Map<string, number>();
    for (const table of await listTables(scratch.db, 'sqlite')) counts.set(table, await rowCount(scratch.db, table));
    return counts;
  } finally {
    await scratch.close();
  }
}

/** Tables holding more than migrations put there; an empty list means the database is empty. */
export async function tablesWithData(handle: DatabaseHandle): Promise<string[]> {
  const applied = await appliedMigrations(handle.db, handle.dialect);
  const pristine = await pristineCounts(applied);
  const filled: string[] = [];
  for (const table of await listTables(handle.db, handle.dialect)) {
    if ((await rowCount(handle.db, table)) !== (pristine.get(table) ?? 0)) filled.push(table);
  }
  return filled;
}
