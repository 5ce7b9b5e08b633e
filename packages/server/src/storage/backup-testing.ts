/**
 * Test support for backup suites: a small event type, journal seeding, a whole-database snapshot
 * for comparisons, and (run as a script) a writer process that keeps appending to a SQLite
 * journal, standing in for a busy server while a backup is taken.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventCatalogue, Type, defineEvent } from '@vigil/core';
import { sql } from 'kysely';
import { Journal, type AfterAppend } from '../modules/audit/index.js';
import { describeTables, type TableShape } from './backup-schema.js';
import { openSqlite, type DatabaseHandle } from './database.js';

export const noted = defineEvent(
  'test.noted',
  'A fact recorded by a backup test',
  Type.Object({ n: Type.Integer(), text: Type.String() }, { additionalProperties: false }),
);

export function testJournal(handle: DatabaseHandle, afterAppend?: AfterAppend): Journal {
  return new Journal({ catalogue: new EventCatalogue().register(noted), dialect: handle.dialect, ...(afterAppend ? { afterAppend } : {}) });
}

/** Text that exercises escaping: quotes, backslashes, line breaks, non-ASCII and astral characters. */
export const AWKWARD_TEXT = 'quote " backslash \\ newline \n tab \t café 😀 \u2028 end';

/** Appends `count` events in batches (with signed checkpoints when given a checkpointer's hook). */
export async function seedJournal(handle: DatabaseHandle, count: number, afterAppend?: AfterAppend, batch = 25): Promise<void> {
  const journal = testJournal(handle, afterAppend);
  for (let n = 0; n < count; n += batch) {
    const drafts = [];
    for (let i = n; i < Math.min(count, n + batch); i++) {
      drafts.push(
        noted.draft({ site: i % 3 === 0 ? null : `site-${i % 3}`, source: 'backup-test' }, { n: i, text: `${AWKWARD_TEXT} ${i}` }),
      );
    }
    await journal.appendNow(handle.db, drafts);
  }
}

/** Every table's rows, in primary-key order, as plain JSON (numbers and strings compare across dialects). */
export async function snapshot(handle: DatabaseHandle): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const shape of await describeTables(handle.db, handle.dialect)) result[shape.name] = await tableRows(handle, shape);
  return result;
}

async function tableRows(handle: DatabaseHandle, shape: TableShape): Promise<unknown[]> {
  const order = shape.primaryKey.length > 0 ? shape.primaryKey : shape.columns;
  const { rows } = await sql<
    Record<string, unknown>
  >`select * from ${sql.table(shape.name)} order by ${sql.join(order.map((c) => sql.ref(c)))}`.execute(handle.db);
  return rows.map((row) => Object.fromEntries(shape.columns.map((c) => [c, row[c] ?? null])));
}

/**
 * As a script: `node --import tsx backup-testing.ts <sqlite file>` appends batches of events until
 * killed, printing `ready` after the first commit.
 */
async function writeForever(file: string): Promise<void> {
  const handle = openSqlite({ file });
  const journal = testJournal(handle);
  let n = 0;
  for (;;) {
    const drafts = Array.from({ length: 20 }, () => noted.draft({ site: null, source: 'writer' }, { n: n++, text: 'busy' }));
    await journal.appendNow(handle.db, drafts);
    if (n === 20) process.stdout.write('ready\n');
  }
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  await writeForever(process.argv[2] ?? '');
}
