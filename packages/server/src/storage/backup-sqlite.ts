/**
 * SQLite file backups through SQLite's online backup API (better-sqlite3 `.backup()`): a
 * page-for-page copy taken inside one read transaction, so it is consistent while the server keeps
 * writing (WAL readers never block the writer). All pages are copied in one step: a copy made in
 * small steps restarts whenever another connection writes, and may never finish on a busy server.
 *
 * Restore checks the file before touching the target — complete (the size its header declares),
 * `integrity_check` clean, migrations known — then copies it into the target with the same API,
 * which replaces the target's content in one write transaction: readers see the old database or the
 * new one, never a mix, and a crash midway leaves the old one.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { backupError } from './backup-errors.js';
import type { BackupReport } from './backup-logical.js';
import { checkRestoreTarget, type RestoreOptions, type RestoreReport } from './backup-restore.js';
import { isBookkeeping, migrateAll } from './backup-schema.js';
import { checkDestination, commitPartial, partialPathOf } from './backup-writer.js';
import type { DatabaseHandle } from './database.js';

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;
/** Returned from the progress callback: copy every remaining page in the next step. */
const ALL_PAGES = 0x7fffffff;

export function isSqliteFile(head: Buffer): boolean {
  return head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);
}

/**
 * Compares the file with the size its header declares (https://www.sqlite.org/fileformat.html,
 * "The Database Header"): a copy cut short is reported as truncated before SQLite ever opens it.
 */
export function checkComplete(file: string): void {
  const size = fs.statSync(file).size;
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (size < HEADER_BYTES) throw backupError('backup.truncated', `The SQLite backup ${file} is only ${size} bytes long`, { file, size });
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
    throw backupError('backup.corrupt', `The SQLite backup ${file} has an invalid page size (${rawPageSize})`, { file });
  }
  const changeCounter = header.readUInt32BE(24);
  const pages = header.readUInt32BE(28);
  const validFor = header.readUInt32BE(92);
  const expected = pages * pageSize;
  if (size % pageSize !== 0 || (pages > 0 && validFor === changeCounter && size < expected)) {
    throw backupError('backup.truncated', `The SQLite backup ${file} is ${size} bytes; its header declares ${expected}`, {
      file,
      size,
      expected,
    });
  }
}

interface Inspection {
  migrations: string[];
  tables: Record<string, number>;
}

/** Opens a file known to be complete and checks it is a sound Vigil database. */
function inspect(file: string): Inspection {
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { fileMustExist: true });
  } catch (e) {
    throw backupError('backup.corrupt', `${file} cannot be opened as SQLite: ${(e as Error).message}`, { file });
  }
  try {
    let problems: string[];
    try {
      // A self-contained file: no -wal or -shm beside it is needed to read it.
      db.pragma('journal_mode = DELETE');
      problems = (db.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (e) {
      throw backupError('backup.corrupt', `${file} is not a readable SQLite database: ${(e as Error).message}`, { file });
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw backupError('backup.corrupt', `The SQLite backup fails its integrity check: ${problems.slice(0, 3).join('; ')}`, {
        file,
        problems,
      });
    }
    const tables = (
      db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'`).all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    if (!tables.includes('kysely_migration')) {
      throw backupError('backup.corrupt', `${file} is a SQLite database but not a Vigil one (no migration record)`, { file });
    }
    const migrations = (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
    const counts: Record<string, number> = {};
    for (const table of tables.filter((t) => !isBookkeeping(t)).sort()) {
      counts[table] = (db.prepare(`select count(*) as n from "${table.replaceAll('"', '""')}"`).get() as { n: number }).n;
    }
    return { migrations, tables: counts };
  } finally {
    db.close();
  }
}

export interface SqliteBackupOptions {
  file: string;
  force?: boolean;
}

/** Copies the live SQLite database at `sourceFile` to `options.file`, then checks the copy. */
export async function backupSqliteFile(sourceFile: string, options: SqliteBackupOptions): Promise<BackupReport> {
  checkDestination(options.file, options.force ?? false);
  const partial = partialPathOf(options.file);
  fs.rmSync(partial, { force: true });
  try {
    // Its own connection: the backup may run in the CLI while the server process writes.
    const source = new SQLite(sourceFile, { fileMustExist: true });
    try {
      source.pragma('busy_timeout = 5000');
      await source.backup(partial, { progress: () => ALL_PAGES });
    } finally {
      source.close();
    }
    fs.chmodSync(partial, 0o600);
    const { migrations, tables } = inspect(partial);
    commitPartial(options.file);
    return { file: options.file, format: 'sqlite', migrations, tables };
  } catch (e) {
    fs.rmSync(partial, { force: true });
    throw e;
  }
}

/** Replaces the content of the SQLite target with a SQLite file backup. */
export async function restoreSqliteFile(handle: DatabaseHandle, file: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  if (handle.dialect !== 'sqlite') {
    throw backupError('backup.wrong_dialect', `${file} is a SQLite file backup; PostgreSQL restores from a logical backup`, { file });
  }
  checkComplete(file);
  // Checked and copied from a private snapshot, so the file cannot change between check and copy.
  const snapshot = `${handle.location}.restore-${randomBytes(6).toString('hex')}`;
  fs.copyFileSync(file, snapshot);
  try {
    fs.chmodSync(snapshot, 0o600);
    const { migrations, tables } = inspect(snapshot);
    await checkRestoreTarget(handle, migrations, options.force ?? false, { replacesWholeDatabase: true });
    const source = new SQLite(snapshot, { readonly: true, fileMustExist: true });
    try {
      await source.backup(handle.location, { progress: () => ALL_PAGES });
    } finally {
      source.close();
    }
    const migratedAfter = await migrateAll(handle);
    return { format: 'sqlite', createdAt: null, sourceDialect: 'sqlite', migrations, tables, migratedAfter };
  } finally {
    fs.rmSync(snapshot, { force: true });
    fs.rmSync(`${snapshot}-journal`, { force: true });
  }
}
