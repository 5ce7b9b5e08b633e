/**
 * Logical backup: every table of either dialect written in the portable format of
 * backup-format.ts, from one consistent snapshot. On PostgreSQL the export runs in a REPEATABLE
 * READ, READ ONLY transaction (one snapshot for all tables, no locks that block the server); on
 * SQLite in one read transaction, which WAL keeps consistent while the server goes on writing.
 * Rows are read in primary-key pages, so memory stays bounded however large the journal grows.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import { encodeValue } from './backup-format.js';
import { appliedMigrations, describeTables, type AnyExecutor, type TableShape } from './backup-schema.js';
import { checkDestination, LogicalBackupWriter } from './backup-writer.js';
import type { DatabaseHandle } from './database.js';
import type { Database } from './schema.js';

export interface LogicalBackupOptions {
  file: string;
  /** gzip-compress the file (default: when the name ends in `.gz`). */
  gzip?: boolean;
  /** Replace an existing file. */
  force?: boolean;
  /** Vigil version recorded in the header. */
  vigilVersion: string;
  clock?: () => Date;
  /** Rows per query (default 2000). */
  pageSize?: number;
  /** Progress: called (and awaited) as each table starts and after each page, with its rows so far. */
  onProgress?: (progress: { table: string; rows: number }) => void | Promise<void>;
}

export interface BackupReport {
  file: string;
  format: 'logical' | 'sqlite';
  migrations: string[];
  tables: Record<string, number>;
  sha256?: string;
}

type Row = Record<string, unknown>;

async function page(db: AnyExecutor, shape: TableShape, after: Row | undefined, offset: number, limit: number): Promise<Row[]> {
  const columns = sql.join(shape.columns.map((c) => sql.ref(c)));
  let query: RawBuilder<Row>;
  if (shape.primaryKey.length > 0) {
    const key = sql.join(shape.primaryKey.map((c) => sql.ref(c)));
    const where = after ? sql`where (${key}) > (${sql.join(shape.primaryKey.map((c) => after[c]))})` : sql``;
    query = sql<Row>`select ${columns} from ${sql.table(shape.name)} ${where} order by ${key} limit ${limit}`;
  } else {
    // No key to resume from: a stable total order over all columns, paged by offset. The
    // snapshot does not move inside the transaction, so pages neither skip nor repeat rows.
    query = sql<Row>`select ${columns} from ${sql.table(shape.name)} order by ${columns} limit ${limit} offset ${offset}`;
  }
  return (await query.execute(db)).rows;
}

async function exportAll(trx: Transaction<Database>, handle: DatabaseHandle, writer: LogicalBackupWriter, options: LogicalBackupOptions) {
  const migrations = await appliedMigrations(trx, handle.dialect);
  const shapes = await describeTables(trx, handle.dialect);
  await writer.header({
    createdAt: (options.clock?.() ?? new Date()).toISOString(),
    vigil: options.vigilVersion,
    dialect: handle.dialect,
    migrations,
    tables: shapes.map((s) => ({ name: s.name, columns: s.columns })),
  });
  const limit = options.pageSize ?? 2000;
  for (const shape of shapes) {
    await writer.startTable(shape.name);
    await options.onProgress?.({ table: shape.name, rows: 0 });
    let after: Row | undefined;
    let done = 0;
    for (let offset = 0; ; offset += limit) {
      const rows = await page(trx, shape, after, offset, limit);
      for (const row of rows) await writer.row(shape.columns.map((c) => encodeValue(row[c], shape.name, c)));
      done += rows.length;
      await options.onProgress?.({ table: shape.name, rows: done });
      if (rows.length < limit) break;
      after = rows[rows.length - 1];
    }
  }
  return migrations;
}

/** Writes a logical backup of the whole database to `options.file` (atomically: see backup-writer.ts). */
export async function writeLogicalBackup(handle: DatabaseHandle, options: LogicalBackupOptions): Promise<BackupReport> {
  checkDestination(options.file, options.force ?? false);
  const writer = new LogicalBackupWriter(options.file, { gzip: options.gzip ?? options.file.endsWith('.gz') });
  try {
    const transaction =
      handle.dialect === 'postgres'
        ? handle.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only')
        : handle.db.transaction();
    const migrations = await transaction.execute((trx) => exportAll(trx, handle, writer, options));
    const { rows, sha256 } = await writer.finish();
    return { file: options.file, format: 'logical', migrations, tables: rows, sha256 };
  } catch (e) {
    await writer.abort();
    throw e;
  }
}
