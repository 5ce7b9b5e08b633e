/** Builds the module on a test database, with a real journal, for the module's own tests. */
import { EventCatalogue, isVigilError, type VigilEvent } from '@vigil/core';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { Journal, rowToEvent } from '../audit/index.js';
import type { PeopleDeps } from './context.js';
import { peopleEvents } from './events.js';
import { createPeopleModule, type PeopleModule } from './module.js';

export const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function peopleDeps(db: Kysely<Database>, clock: () => Date = () => new Date()): PeopleDeps {
  const journal = new Journal({ catalogue: new EventCatalogue().register(...peopleEvents), clock });
  return { db, record: journal.record, clock };
}

export function peopleModule(db: Kysely<Database>, clock?: () => Date): PeopleModule {
  return createPeopleModule(peopleDeps(db, clock), { hrDropDir: '', hrPollSeconds: 60, logger: silentLogger });
}

/** Journal events about one subject, oldest first. */
export async function eventsAbout(db: Kysely<Database>, subject: string): Promise<VigilEvent[]> {
  const rows = await db.selectFrom('journal_events').selectAll().where('subject', '=', subject).orderBy('seq').execute();
  return rows.map(rowToEvent);
}

export async function journalLength(db: Kysely<Database>): Promise<number> {
  const head = await db.selectFrom('journal_head').select('seq').executeTakeFirstOrThrow();
  return Number(head.seq);
}

/** For `assert.rejects`: matches a VigilError with that code. */
export function code(expected: string) {
  return (error: unknown) => {
    if (isVigilError(error) && error.code === expected) return true;
    throw error;
  };
}

let counter = 0;
/** An employee id no other test in the run uses. */
export function uniqueEmployeeId(prefix = 'E'): string {
  return `${prefix}${process.pid}-${Date.now().toString(36)}-${counter++}`;
}
