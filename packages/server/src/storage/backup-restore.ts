/**
 * Restores a logical backup into SQLite or PostgreSQL. The whole file is read and checked first
 * (structure, counts, checksum) and nothing is written when that fails; then every row is loaded
 * in one transaction, so a failure midway leaves the target exactly as it was.
 *
 * Foreign keys: rows arrive table by table, not in dependency order, so checks wait for the end of
 * the load — SQLite defers them to commit, PostgreSQL drops the constraints inside the transaction
 * and adds them back (which validates every row) before it commits.
 */
import { sql, type Transaction } from 'kysely';
import { backupError } from './backup-errors.js';
import { decodeValue, readLogicalBackup, type BackupHeader, type BackupValue } from './backup-format.js';
import {
  appliedMigrations,
  describeTables,
  isPrefix,
  knownMigrations,
  migrateAll,
  migrateTo,
  rowCount,
  tablesWithData,
} from './backup-schema.js';
import type { DatabaseHandle, Dialect } from './database.js';
import type { Database } from './schema.js';

export interface RestoreOptions {
  /** Replace the content of a non-empty target (which must be migrated exactly like the backup). */
  force?: boolean;
}

export interface RestoreReport {
  format: 'logical' | 'sqlite';
  /** When and from what the backup was taken (logical backups record it). */
  createdAt: string | null;
  sourceDialect: Dialect | null;
  migrations: string[];
  tables: Record<string, number>;
  /** Migrations newer than the backup, applied over the restored data. */
  migratedAfter: string[];
}

const list = (names: readonly string[]) => (names.length === 0 ? '(none)' : names.join(', '));

/**
 * Checks that the backup's migrations are known to this build and fit the target, and that the
 * target is empty (unless forced). Throws `backup.incompatible` or `backup.target_not_empty`.
 */
export async function checkRestoreTarget(
  handle: DatabaseHandle,
  backupMigrations: readonly string[],
  force: boolean,
  { replacesWholeDatabase = false } = {},
): Promise<void> {
  const known = knownMigrations();
  if (!isPrefix(backupMigrations, known)) {
    const unknown = backupMigrations.filter((m) => !known.includes(m));
    throw backupError(
      'backup.incompatible',
      unknown.length > 0
        ? `The backup was taken after migrations this Vigil does not have (${list(unknown)}); restore it with the version that wrote it`
        : `The backup's migration history (${list(backupMigrations)}) is not a beginning of this Vigil's (${list(known)})`,
      { backup: backupMigrations, known },
    );
  }
  const target = await appliedMigrations(handle.db, handle.dialect);
  const unknown = target.filter((m) => !known.includes(m));
  if (unknown.length > 0) {
    throw backupError('backup.incompatible', `The target database was migrated by a newer Vigil (${list(unknown)})`, { target, known });
  }
  if (force) {
    if (target.join('\n') !== backupMigrations.join('\n')) {
      throw backupError(
        'backup.incompatible',
        `--force needs the target migrated exactly like the backup: the target has ${list(target)}, the backup ${list(backupMigrations)}`,
        { target, backup: backupMigrations },
      );
    }
    return;
  }
  // A file restore replaces schema and data together, so an empty target may be at any level;
  // a logical restore loads rows into the target's tables, which must not be newer than the backup's.
  if (!replacesWholeDatabase && !isPrefix(target, backupMigrations)) {
    throw backupError(
      'backup.incompatible',
      `The target database is migrated beyond the backup (target ${list(target)}, backup ${list(backupMigrations)}); restore into a new database`,
      { target, backup: backupMigrations },
    );
  }
  const filled = await tablesWithData(handle);
  if (filled.length > 0) {
    throw backupError(
      'backup.target_not_empty',
      `The target database ${handle.location} already holds data (in ${filled.join(', ')}); restore into an empty database or pass --force to replace it`,
      { tables: filled },
    );
  }
}

async function checkTablesMatch(handle: DatabaseHandle, header: BackupHeader): Promise<void> {
  const target = new Map((await describeTables(handle.db, handle.dialect)).map((t) => [t.name, new Set(t.columns)]));
  const problems: string[] = [];
  for (const table of header.tables) {
    const columns = target.get(table.name);
    if (!columns) problems.push(`table ${table.name} does not exist in the target`);
    else if (columns.size !== table.columns.length || !table.columns.every((c) => columns.has(c))) {
      problems.push(`table ${table.name} has other columns in the target`);
    }
    target.delete(table.name);
  }
  for (const extra of target.keys()) problems.push(`table ${extra} is not in the backup`);
  if (problems.length > 0)
    throw backupError('backup.incompatible', `The backup does not fit the target: ${problems.join('; ')}`, { problems });
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

async function dropForeignKeys(trx: Transaction<Database>): Promise<ForeignKey[]> {
  const { rows } = await sql<ForeignKey>`
    select rel.relname as "table", con.conname as "name", pg_get_constraintdef(con.oid) as "definition"
    from pg_constraint con
    join pg_class rel on rel.oid = con.conrelid
    join pg_namespace ns on ns.oid = rel.relnamespace
    where con.contype = 'f' and ns.nspname = current_schema()`.execute(trx);
  for (const fk of rows) await sql`alter table ${sql.table(fk.table)} drop constraint ${sql.id(fk.name)}`.execute(trx);
  return rows;
}

async function addForeignKeys(trx: Transaction<Database>, keys: readonly ForeignKey[]): Promise<void> {
  for (const fk of keys) {
    await sql`alter table ${sql.table(fk.table)} add constraint ${sql.id(fk.name)} ${sql.raw(fk.definition)}`.execute(trx);
  }
}

/** Serial and identity columns continue after the restored values rather than colliding with them. */
async function resetSequences(trx: Transaction<Database>): Promise<void> {
  const { rows } = await sql<{ table: string; column: string; sequence: string | null }>`
    select table_name as "table", column_name as "column",
           pg_get_serial_sequence(quote_ident(table_name), column_name) as "sequence"
    from information_schema.columns where table_schema = current_schema()`.execute(trx);
  for (const r of rows) {
    if (!r.sequence) continue;
    const column = sql.ref(r.column);
    await sql`select setval(${r.sequence}::regclass, coalesce(max(${column}), 1), max(${column}) is not null)
              from ${sql.table(r.table)}`.execute(trx);
  }
}

/** Buffers rows of one table and inserts them in multi-row statements within the bound-parameter limits. */
class BatchInserter {
  private rows: unknown[][] = [];
  private columns: string[] = [];
  private table = '';
  private batch = 1;

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly dialect: Dialect,
    private readonly header: BackupHeader,
  ) {}

  async startTable(table: string): Promise<void> {
    await this.flush();
    this.table = table;
    this.columns = this.header.tables.find((t) => t.name === table)?.columns ?? [];
    // SQLite binds at most 32,766 parameters per statement, PostgreSQL 65,535.
    this.batch = Math.max(1, Math.min(500, Math.floor(30_000 / Math.max(1, this.columns.length))));
  }

  async add(values: BackupValue[]): Promise<void> {
    this.rows.push(values.map((v) => decodeValue(v, this.dialect)));
    if (this.rows.length >= this.batch) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const columns = sql.join(this.columns.map((c) => sql.ref(c)));
    const values = sql.join(this.rows.map((r) => sql`(${sql.join(r)})`));
    this.rows = [];
    await sql`insert into ${sql.table(this.table)} (${columns}) values ${values}`.execute(this.trx);
  }
}

async function load(handle: DatabaseHandle, file: string, header: BackupHeader, expected: Record<string, number>): Promise<void> {
  await handle.db.transaction().execute(async (trx) => {
    if (handle.dialect === 'sqlite') await sql`pragma defer_foreign_keys = on`.execute(trx);
    const foreignKeys = handle.dialect === 'postgres' ? await dropForeignKeys(trx) : [];
    for (const table of header.tables) {
      if ((await rowCount(trx, table.name)) > 0) await sql`delete from ${sql.table(table.name)}`.execute(trx);
    }
    const inserter = new BatchInserter(trx, handle.dialect, header);
    // Read again, checksum included: a file changed since validation fails here and rolls back.
    await readLogicalBackup(file, {
      onTable: (table) => inserter.startTable(table),
      onRow: (_table, values) => inserter.add(values),
    });
    await inserter.flush();
    if (handle.dialect === 'postgres') {
      await addForeignKeys(trx, foreignKeys);
      await resetSequences(trx);
    }
    for (const table of header.tables) {
      const count = await rowCount(trx, table.name);
      if (count !== expected[table.name]) {
        throw new Error(`restore of ${table.name} produced ${count} rows instead of ${expected[table.name]}`);
      }
    }
  });
}

/** Restores a logical backup file into the (empty, unless forced) target database. */
export async function restoreLogicalBackup(handle: DatabaseHandle, file: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  const { header, trailer } = await readLogicalBackup(file);
  await checkRestoreTarget(handle, header.migrations, options.force ?? false);
  await migrateTo(handle, header.migrations[header.migrations.length - 1] ?? null);
  await checkTablesMatch(handle, header);
  await load(handle, file, header, trailer.rows);
  const migratedAfter = await migrateAll(handle);
  return {
    format: 'logical',
    createdAt: header.createdAt,
    sourceDialect: header.dialect === 'sqlite' || header.dialect === 'postgres' ? header.dialect : null,
    migrations: header.migrations,
    tables: trailer.rows,
    migratedAfter,
  };
}
