/**
 * Reads one table of a backup file without restoring it and without writing anywhere, so that a
 * restore can decide on what the backup would bring (the journal signers it would have trusted)
 * before it touches the target. The file is checked the way restore checks it first: a logical
 * backup completely (structure, row counts, checksum), a SQLite file for completeness before it is
 * opened read-only (its integrity check is left to the restore, which runs it on its own copy).
 */
import SQLite from 'better-sqlite3';
import { backupError } from './backup-errors.js';
import { decodeValue, readLogicalBackup } from './backup-format.js';
import { checkComplete } from './backup-sqlite.js';
import { backupFormatOf } from './backup.js';

export type BackupRow = Record<string, unknown>;

/** The rows of `table` in the backup `file`; none when the backup has no such table (an older schema). */
export async function readBackupTable(file: string, table: string): Promise<BackupRow[]> {
  return backupFormatOf(file) === 'sqlite' ? readSqliteTable(file, table) : readLogicalTable(file, table);
}

async function readLogicalTable(file: string, table: string): Promise<BackupRow[]> {
  const values: unknown[][] = [];
  const { header } = await readLogicalBackup(file, {
    onRow: (name, row) => {
      if (name === table) values.push(row.map((value) => decodeValue(value, 'sqlite')));
    },
  });
  const columns = header.tables.find((t) => t.name === table)?.columns ?? [];
  return values.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i] ?? null])));
}

function readSqliteTable(file: string, table: string): BackupRow[] {
  checkComplete(file);
  try {
    const db = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      const exists = db.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(table);
      return exists ? (db.prepare(`select * from "${table.replaceAll('"', '""')}"`).all() as BackupRow[]) : [];
    } finally {
      db.close();
    }
  } catch (e) {
    throw backupError('backup.corrupt', `${file} cannot be read as a SQLite backup: ${(e as Error).message}`, { file });
  }
}
