/**
 * Opens the one database Vigil uses: embedded SQLite (WAL) by default, PostgreSQL when a URL is set.
 * Both are driven through Kysely with one migration set, so repositories are written once.
 *
 * Column conventions that keep the two dialects identical: instants are ISO-8601 UTC text
 * (fixed width, so they sort), flags are integers 0/1, structured data is JSON text, and 64-bit
 * integers come back as JavaScript numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { kernelError } from '../kernel/errors.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where the data lives, for messages and backups: a file path or the URL without credentials. */
  readonly location: string;
  close(): Promise<void>;
}

export interface SqliteOptions {
  file: string;
}

export interface PostgresOptions {
  url: string;
  poolSize?: number;
  /** Confines every connection to one schema (tests use a fresh schema per suite). */
  schema?: string;
}

export function openSqlite({ file }: SqliteOptions): DatabaseHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let native: SQLite.Database;
  try {
    native = new SQLite(file);
  } catch (e) {
    throw kernelError('storage.unavailable', `Cannot open SQLite database ${file}: ${(e as Error).message}`, { file });
  }
  // WAL gives concurrent readers while one writer appends; FULL sync makes each commit durable
  // (an acknowledged journal entry survives power loss), foreign keys are off by default in SQLite.
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = FULL');
  native.pragma('foreign_keys = ON');
  native.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(native) }) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

// Statements at least this long (bulk inserts, storage/bulk-insert.ts) are kept prepared.
const REUSED_STATEMENT_LENGTH = 2048;
const REUSED_STATEMENTS = 32;

/**
 * Kysely prepares every statement anew. Parsing a multi-row insert of thousands of parameters
 * costs about as much as running it, and bulk writes send the same text over and over, so long
 * statements that return no rows are kept prepared (a reader could still be iterating when the
 * same text comes again; short ones parse in microseconds).
 */
function reusingStatements(native: SQLite.Database): SqliteDatabase {
  const prepared = new Map<string, SQLite.Statement>();
  return {
    close: () => native.close(),
    prepare(text: string) {
      const cached = prepared.get(text);
      if (cached) return cached;
      const statement = native.prepare(text);
      if (text.length >= REUSED_STATEMENT_LENGTH && !statement.reader) {
        if (prepared.size >= REUSED_STATEMENTS) prepared.delete(prepared.keys().next().value!);
        prepared.set(text, statement);
      }
      return statement;
    },
  };
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

export function openPostgres({ url, poolSize = 10, schema }: PostgresOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // Per-pool parsers (not pg's global registry): journal sequence numbers and counts are
    // bigint in PostgreSQL and must arrive as numbers, as they do from SQLite.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : (pg.types.getTypeParser(oid, format ?? 'text') as unknown)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use. Queries in flight
    // get their own error, so nothing is swallowed here.
  });
  pool.on('connect', (client) => {
    // The pool listens for errors only on idle clients. A client checked out (in a transaction)
    // whose backend is terminated emits 'error' too, which without a listener ends the process;
    // its query rejects on its own, and the pool drops the broken client when it is released.
    client.on('error', () => undefined);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', location: redactUrl(url), close: () => db.destroy() };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

/** Fails fast with `storage.unavailable` when the database cannot answer a trivial query. */
export async function ping(handle: DatabaseHandle): Promise<void> {
  try {
    await sql`select 1`.execute(handle.db);
  } catch (e) {
    throw kernelError('storage.unavailable', `Database ${handle.location} is unreachable: ${(e as Error).message}`);
  }
}
