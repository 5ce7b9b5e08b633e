/**
 * Backup and restore of the whole database. Two formats:
 * - `sqlite`: a SQLite file made with SQLite's online backup API (SQLite only; the fastest, and
 *   the file is itself a database);
 * - `logical`: the portable JSON-lines format of backup-format.ts, written from one consistent
 *   snapshot, restorable into SQLite or PostgreSQL (the only format for PostgreSQL).
 * Restore recognises the format from the file's first bytes.
 */
import fs from 'node:fs';
import { backupError } from './backup-errors.js';
import { isGzip } from './backup-format.js';
import { writeLogicalBackup, type BackupReport } from './backup-logical.js';
import { restoreLogicalBackup, type RestoreOptions, type RestoreReport } from './backup-restore.js';
import { backupSqliteFile, isSqliteFile, restoreSqliteFile } from './backup-sqlite.js';
import type { DatabaseHandle } from './database.js';

export type BackupFormat = 'sqlite' | 'logical';
export type { BackupReport, RestoreOptions, RestoreReport };

export interface CreateBackupOptions {
  file: string;
  /** Default: `logical` on PostgreSQL or for a `.jsonl`/`.gz` file name, else `sqlite`. */
  format?: BackupFormat;
  /** Replace an existing file. */
  force?: boolean;
  /** gzip a logical backup (default: when the file name ends in `.gz`). */
  gzip?: boolean;
  vigilVersion: string;
}

const LOGICAL_NAME = /\.(jsonl|gz)$/i;

export async function createBackup(handle: DatabaseHandle, options: CreateBackupOptions): Promise<BackupReport> {
  const format = options.format ?? (handle.dialect === 'postgres' || LOGICAL_NAME.test(options.file) ? 'logical' : 'sqlite');
  if (format === 'sqlite') {
    if (handle.dialect !== 'sqlite') {
      throw backupError('backup.wrong_dialect', 'PostgreSQL is backed up in the logical format (`--format logical`)');
    }
    return backupSqliteFile(handle.location, { file: options.file, force: options.force ?? false });
  }
  return writeLogicalBackup(handle, {
    file: options.file,
    force: options.force ?? false,
    vigilVersion: options.vigilVersion,
    ...(options.gzip === undefined ? {} : { gzip: options.gzip }),
  });
}

/** Which format a backup file is in, from its first bytes. */
export function backupFormatOf(file: string): BackupFormat {
  const head = Buffer.alloc(16);
  let read: number;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      read = fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw backupError('backup.file_missing', `Cannot read ${file}: ${(e as Error).message}`, { file });
  }
  if (read === 0) throw backupError('backup.truncated', `The backup file ${file} is empty`, { file });
  if (isSqliteFile(head.subarray(0, read))) return 'sqlite';
  if (isGzip(head) || head[0] === 0x7b /* { */) return 'logical';
  throw backupError('backup.corrupt', `${file} is neither a SQLite backup nor a Vigil logical backup`, { file });
}

/**
 * Restores a backup into the target (which must be empty unless `force`). The file is validated
 * completely before anything is written; a failed restore leaves the target as it was.
 */
export async function restoreBackup(handle: DatabaseHandle, file: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  return backupFormatOf(file) === 'sqlite' ? restoreSqliteFile(handle, file, options) : restoreLogicalBackup(handle, file, options);
}
