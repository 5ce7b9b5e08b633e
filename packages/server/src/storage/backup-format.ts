/**
 * The logical backup format (version 1): UTF-8 JSON lines, optionally gzip-compressed, readable
 * with any JSON tool and restorable into SQLite or PostgreSQL.
 *
 *   line 1        header  {"format":"vigil-backup","version":1,"createdAt",…,"migrations":[…],"tables":[{name,columns}]}
 *   per table     {"table":"<name>"}, then one JSON array per row, values in the header's column order
 *   last line     trailer {"trailer":{"rows":{"<table>":n,…},"sha256":"<hex>"}}
 *
 * Tables appear once each, in header order. The SHA-256 covers every byte before the trailer line
 * (newlines included, before compression). Values are null, strings, finite numbers, booleans, or
 * {"$base64":"…"} for binary columns. A file without its trailer was cut short (`backup.truncated`);
 * one whose bytes, counts or structure disagree with the trailer is `backup.corrupt`.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import { backupError } from './backup-errors.js';

export const FORMAT_NAME = 'vigil-backup';
export const FORMAT_VERSION = 1;

export type BackupValue = string | number | boolean | null | { $base64: string };

export interface BackupHeader {
  format: typeof FORMAT_NAME;
  version: number;
  createdAt: string;
  /** Vigil version that wrote the file. */
  vigil: string;
  /** Dialect of the database it was taken from (informational; restore works into either). */
  dialect: string;
  migrations: string[];
  tables: { name: string; columns: string[] }[];
}

export interface BackupTrailer {
  rows: Record<string, number>;
  sha256: string;
}

const NEWLINE = 0x0a;
const GZIP_MAGIC = [0x1f, 0x8b];

/** Turns a column value read from either dialect into its JSON form. */
export function encodeValue(value: unknown, table: string, column: string): BackupValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw backupError('backup.unsupported_value', `${table}.${column} holds ${value}, which JSON cannot represent`, { table, column });
    }
    return value;
  }
  if (typeof value === 'bigint') {
    const safe = value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER);
    return safe ? Number(value) : value.toString();
  }
  if (value instanceof Uint8Array) return { $base64: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return value.toISOString();
  // PostgreSQL json/jsonb columns arrive parsed; Vigil stores JSON as text, so store it as text.
  return JSON.stringify(value);
}

/** The value to bind when restoring; SQLite has no boolean type, so flags become 0/1 there. */
export function decodeValue(value: BackupValue, dialect: 'sqlite' | 'postgres'): unknown {
  if (value !== null && typeof value === 'object') return Buffer.from(value.$base64, 'base64');
  if (typeof value === 'boolean' && dialect === 'sqlite') return value ? 1 : 0;
  return value;
}

function isBackupValue(value: unknown): value is BackupValue {
  if (value === null) return true;
  const type = typeof value;
  if (type === 'string' || type === 'boolean') return true;
  if (type === 'number') return Number.isFinite(value);
  if (type !== 'object') return false;
  const keys = Object.keys(value as object);
  return keys.length === 1 && keys[0] === '$base64' && typeof (value as { $base64: unknown }).$base64 === 'string';
}

function corrupt(message: string, line?: number): Error {
  return backupError('backup.corrupt', line === undefined ? message : `${message} (line ${line})`, line === undefined ? {} : { line });
}

/** True when the file starts like a gzip stream (so it is read through gunzip). */
export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/** Yields each complete line as raw bytes (newline excluded); throws `backup.truncated` on a partial last line. */
async function* lines(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  for await (const chunk of stream) {
    let start = 0;
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, i);
      yield pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      start = i + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) throw backupError('backup.truncated', 'The backup file ends in the middle of a line');
}

function openContent(file: string, gzip: boolean): AsyncIterable<Buffer> {
  const raw = fs.createReadStream(file);
  if (!gzip) return raw;
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

async function* translatedGzipErrors(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* source;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') throw backupError('backup.truncated', 'The compressed backup ends before its end (unexpected end of file)');
    if (typeof code === 'string' && code.startsWith('Z_')) throw corrupt(`The compressed backup is damaged: ${(e as Error).message}`);
    throw e;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseLine(bytes: Buffer, line: number): unknown {
  try {
    return JSON.parse(utf8.decode(bytes)) as unknown;
  } catch {
    throw corrupt('A line is not valid UTF-8 JSON', line);
  }
}

function checkHeader(value: unknown): BackupHeader {
  const h = value as Partial<BackupHeader> | null;
  if (!h || typeof h !== 'object' || h.format !== FORMAT_NAME) throw corrupt('The file is not a Vigil backup (no vigil-backup header)', 1);
  if (typeof h.version !== 'number' || !Number.isInteger(h.version)) throw corrupt('The backup header has no format version', 1);
  if (h.version > FORMAT_VERSION) {
    throw backupError(
      'backup.unsupported_version',
      `The backup uses format version ${h.version}; this Vigil reads up to ${FORMAT_VERSION}`,
      {
        version: h.version,
      },
    );
  }
  const tablesOk =
    Array.isArray(h.tables) &&
    h.tables.every(
      (t) =>
        t &&
        typeof t.name === 'string' &&
        Array.isArray(t.columns) &&
        t.columns.length > 0 &&
        t.columns.every((c) => typeof c === 'string'),
    );
  const migrationsOk = Array.isArray(h.migrations) && h.migrations.every((m) => typeof m === 'string');
  if (!tablesOk || !migrationsOk || typeof h.createdAt !== 'string') throw corrupt('The backup header is malformed', 1);
  if (new Set(h.tables!.map((t) => t.name)).size !== h.tables!.length) throw corrupt('The backup header lists a table twice', 1);
  return h as BackupHeader;
}

function asTrailer(value: unknown): BackupTrailer | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !('trailer' in value)) return undefined;
  const t = (value as { trailer: Partial<BackupTrailer> | null }).trailer;
  if (!t || typeof t.sha256 !== 'string' || !t.rows || typeof t.rows !== 'object') throw corrupt('The backup trailer is malformed');
  return t as BackupTrailer;
}

export interface ReadOptions {
  /** Called for each row after its shape is checked; awaited, so a slow consumer slows the read. */
  onRow?: (table: string, values: BackupValue[]) => void | Promise<void>;
  /** Called when a table's section starts. */
  onTable?: (table: string) => void | Promise<void>;
}

export interface ReadResult {
  header: BackupHeader;
  trailer: BackupTrailer;
  /** Rows actually read, per table. */
  rows: Record<string, number>;
}

/**
 * Reads and checks a whole logical backup: structure, row shapes, row counts and checksum. Rows
 * reach `onRow` before the checksum is known, so a caller that writes them must do so in a
 * transaction it rolls back when this throws (or validate with a first pass, as restore does).
 */
export async function readLogicalBackup(file: string, options: ReadOptions = {}): Promise<ReadResult> {
  const head = Buffer.alloc(2);
  const fd = fs.openSync(file, 'r');
  let headBytes: number;
  try {
    headBytes = fs.readSync(fd, head, 0, 2, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (headBytes === 0) throw backupError('backup.truncated', 'The backup file is empty');
  const hash: Hash = createHash('sha256');
  let header: BackupHeader | undefined;
  let trailer: BackupTrailer | undefined;
  let current: { name: string; width: number } | undefined;
  let sectionIndex = 0;
  const rows: Record<string, number> = {};
  let lineNo = 0;

  for await (const bytes of lines(translatedGzipErrors(openContent(file, isGzip(head))))) {
    lineNo++;
    if (trailer) throw corrupt('Content follows the trailer', lineNo);
    const value = parseLine(bytes, lineNo);
    if (!header) {
      header = checkHeader(value);
      hash.update(bytes).update('\n');
      continue;
    }
    const maybeTrailer = asTrailer(value);
    if (maybeTrailer) {
      trailer = maybeTrailer;
      continue;
    }
    hash.update(bytes).update('\n');
    if (Array.isArray(value)) {
      if (!current) throw corrupt('A row appears before any table section', lineNo);
      if (value.length !== current.width)
        throw corrupt(`A row of ${current.name} has ${value.length} values, expected ${current.width}`, lineNo);
      if (!value.every(isBackupValue)) throw corrupt(`A row of ${current.name} holds a value of an unknown kind`, lineNo);
      rows[current.name] = (rows[current.name] ?? 0) + 1;
      await options.onRow?.(current.name, value);
      continue;
    }
    const name = (value as { table?: unknown } | null)?.table;
    const expected = header.tables[sectionIndex];
    if (typeof name !== 'string' || !expected || expected.name !== name) {
      throw corrupt(`Expected the section of table ${expected?.name ?? '(none left)'}`, lineNo);
    }
    sectionIndex++;
    current = { name, width: expected.columns.length };
    rows[name] = 0;
    await options.onTable?.(name);
  }

  if (!header) throw backupError('backup.truncated', 'The backup file has no complete header line');
  if (!trailer) throw backupError('backup.truncated', `The backup file ends after line ${lineNo} without its trailer`, { line: lineNo });
  if (hash.digest('hex') !== trailer.sha256) throw corrupt('The backup content does not match its SHA-256 checksum');
  if (sectionIndex !== header.tables.length) throw corrupt('The backup is missing table sections its header lists');
  for (const t of header.tables) {
    if (trailer.rows[t.name] !== rows[t.name]) {
      throw corrupt(`Table ${t.name} has ${rows[t.name] ?? 0} rows; the trailer records ${trailer.rows[t.name] ?? 'none'}`);
    }
  }
  return { header, trailer, rows };
}
