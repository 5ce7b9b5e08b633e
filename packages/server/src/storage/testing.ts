/**
 * Runs a repository suite on every database: SQLite always (a fresh file per suite), PostgreSQL
 * when VIGIL_TEST_DATABASE_URL is set (a fresh schema per suite, dropped afterwards). Without the
 * URL the PostgreSQL suite is reported as skipped, with the reason, never silently passed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { sql } from 'kysely';
import { openPostgres, openSqlite, type DatabaseHandle, type Dialect } from './database.js';
import { migrateToLatest } from './migrations.js';

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  /** A temporary directory for the suite (data dir, keys, backups); removed afterwards. */
  readonly dir: string;
}

export const postgresTestUrl = (): string | undefined => process.env['VIGIL_TEST_DATABASE_URL'] || undefined;

export const POSTGRES_SKIP_REASON =
  'PostgreSQL suite skipped: set VIGIL_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it';

let schemaCounter = 0;

/** Opens a fresh, migrated database of the given dialect; the caller closes it with `dispose`. */
export async function openTestDatabase(dialect: Dialect): Promise<TestDatabase & { dispose(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-test-'));
  if (dialect === 'sqlite') {
    const handle = openSqlite({ file: path.join(dir, 'vigil.db') });
    await migrateToLatest(handle.db, { dialect });
    return {
      handle,
      dir,
      dispose: async () => {
        await handle.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = postgresTestUrl();
  if (!url) throw new Error(POSTGRES_SKIP_REASON);
  const schema = `vigil_test_${process.pid}_${Date.now().toString(36)}_${schemaCounter++}`;
  const admin = openPostgres({ url, poolSize: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  await admin.close();
  const handle = openPostgres({ url, schema, poolSize: 5 });
  await migrateBesideOtherSuites(handle, schema);
  return {
    handle,
    dir,
    dispose: async () => {
      await handle.close();
      const cleanup = openPostgres({ url, poolSize: 1 });
      await sql`drop schema ${sql.id(schema)} cascade`.execute(cleanup.db);
      await cleanup.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Kysely's migrator introspects tables across every schema; when another suite drops its schema at
 * that instant, PostgreSQL answers "schema … does not exist" (seen once in CI, naming a test schema).
 * That race exists only among concurrent test suites sharing one database, so it is retried here
 * rather than in production code.
 */
async function migrateBesideOtherSuites(handle: DatabaseHandle, schema: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(handle.db, { dialect: 'postgres', schema });
      return;
    } catch (e) {
      const missing = /schema "([^"]+)" does not exist/.test(e instanceof Error ? e.message : '');
      if (attempt >= 5 || !missing) throw e;
      await sql`create schema if not exists ${sql.id(schema)}`.execute(handle.db);
    }
  }
}

/**
 * `eachDatabase('people repository', (t) => { it('...', async () => { t().handle.db ... }) })`
 * declares the suite once per dialect; `t()` returns the suite's database inside tests.
 */
export function eachDatabase(title: string, body: (current: () => TestDatabase, dialect: Dialect) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const skip = dialect === 'postgres' && !postgresTestUrl() ? POSTGRES_SKIP_REASON : false;
    void describe(`${title} [${dialect}]`, { skip }, () => {
      let db: (TestDatabase & { dispose(): Promise<void> }) | undefined;
      before(async () => {
        db = await openTestDatabase(dialect);
      });
      after(async () => {
        await db?.dispose();
      });
      body(() => {
        if (!db) throw new Error('test database not open yet');
        return db;
      }, dialect);
    });
  }
}
