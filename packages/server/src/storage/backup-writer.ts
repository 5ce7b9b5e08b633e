/**
 * Writes a file atomically: content goes to `<file>.partial`, is flushed to disk, and only then
 * renamed to its name, so a backup interrupted by a crash or a full disk never leaves a file that
 * looks complete. The logical format writer (hashing every byte before the trailer) sits on top.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { backupError } from './backup-errors.js';
import { FORMAT_NAME, FORMAT_VERSION, type BackupHeader, type BackupValue } from './backup-format.js';

export function partialPathOf(file: string): string {
  return `${file}.partial`;
}

/** Refuses to replace an existing file unless asked to. */
export function checkDestination(file: string, force: boolean): void {
  if (!force && fs.existsSync(file)) {
    throw backupError('backup.file_exists', `${file} already exists; choose another name or pass --force to replace it`, { file });
  }
}

/** Moves a finished `.partial` file into place durably (file and directory entry synced). */
export function commitPartial(file: string): void {
  const partial = partialPathOf(file);
  const fd = fs.openSync(partial, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(partial, file);
  try {
    const dir = fs.openSync(path.dirname(path.resolve(file)), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename itself has still happened.
  }
}

export class LogicalBackupWriter {
  private readonly hash = createHash('sha256');
  private readonly file: fs.WriteStream;
  private readonly out: Writable;
  private readonly rows: Record<string, number> = {};
  private table: string | undefined;

  constructor(
    private readonly target: string,
    options: { gzip: boolean },
  ) {
    this.file = fs.createWriteStream(partialPathOf(target), { mode: 0o600 });
    if (options.gzip) {
      const gzip = createGzip();
      gzip.pipe(this.file);
      this.out = gzip;
    } else {
      this.out = this.file;
    }
  }

  private async line(text: string, hashed = true): Promise<void> {
    const bytes = Buffer.from(`${text}\n`, 'utf8');
    if (hashed) this.hash.update(bytes);
    if (!this.out.write(bytes)) await once(this.out, 'drain');
  }

  async header(header: Omit<BackupHeader, 'format' | 'version'>): Promise<void> {
    await this.line(JSON.stringify({ format: FORMAT_NAME, version: FORMAT_VERSION, ...header }));
  }

  async startTable(name: string): Promise<void> {
    this.table = name;
    this.rows[name] = 0;
    await this.line(JSON.stringify({ table: name }));
  }

  async row(values: BackupValue[]): Promise<void> {
    if (this.table === undefined) throw new Error('row written before its table section');
    this.rows[this.table]! += 1;
    await this.line(JSON.stringify(values));
  }

  /** Writes the trailer, flushes, and renames the file into place; returns the row counts. */
  async finish(): Promise<{ rows: Record<string, number>; sha256: string }> {
    const sha256 = this.hash.digest('hex');
    await this.line(JSON.stringify({ trailer: { rows: this.rows, sha256 } }), false);
    const closed = once(this.file, 'close');
    this.out.end();
    await closed;
    commitPartial(this.target);
    return { rows: { ...this.rows }, sha256 };
  }

  /** Abandons the file (after an error): the partial file is removed. */
  async abort(): Promise<void> {
    const closed = once(this.file, 'close').catch(() => undefined);
    this.out.destroy();
    this.file.destroy();
    await closed;
    fs.rmSync(partialPathOf(this.target), { force: true });
  }
}
