/** What every part of the people module is built from, passed in from the composition root. */
import type { VigilEvent } from '@vigil/core';
import type { Kysely, Transaction } from 'kysely';
import { kernelError } from '../../kernel/errors.js';
import type { Database } from '../../storage/schema.js';
import type { RecordEvents } from '../audit/index.js';

export interface PeopleDeps {
  readonly db: Kysely<Database>;
  /** Appends events inside the caller's transaction (`Journal.record`). */
  readonly record: RecordEvents;
  readonly clock: () => Date;
  /**
   * Fans out what a change journaled once its transaction committed (the intake's
   * `publishCommitted`), so rules hear of terminations, suspensions and lost cards. Without it
   * changes are only journaled.
   */
  readonly publish?: (events: readonly VigilEvent[]) => void;
}

/**
 * Runs a change in one transaction, journaling through the `record` it is handed; what it
 * journaled is published once the transaction committed, never when it rolled back.
 */
export async function transact<T>(deps: PeopleDeps, work: (trx: Transaction<Database>, record: RecordEvents) => Promise<T>): Promise<T> {
  const { record, publish } = collecting(deps);
  const result = await deps.db.transaction().execute((trx) => work(trx, record));
  publish();
  return result;
}

/**
 * `deps.record`, keeping what it journaled, and `publish` to fan that out; for a caller that
 * knows its transaction committed (the CSV import, which runs its own).
 */
export function collecting(deps: PeopleDeps): { record: RecordEvents; publish: () => void } {
  // Kept as the journal returned them, batch by batch: an import journals hundreds of thousands.
  const batches: VigilEvent[][] = [];
  return {
    record: async (trx, drafts) => {
      const events = await deps.record(trx, drafts);
      batches.push(events);
      return events;
    },
    publish: () => {
      if (!deps.publish) return;
      for (const events of batches) if (events.length > 0) deps.publish(events);
    },
  };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Sites whose persons an operator may see or act on: every site, or the listed ones. */
export type SiteScope = 'all' | readonly string[];

/** True for a unique-constraint violation on either dialect (SQLite, PostgreSQL 23505). */
export { isUniqueViolation } from '../../storage/constraint-errors.js';

/** Opaque list cursors: base64url of the list's name and the last row's sort key. */
export function encodeCursor(list: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

export function decodeCursor(list: string, cursor: string, length: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== length + 1 ||
    parsed[0] !== list ||
    !parsed.slice(1).every((v): v is string => typeof v === 'string')
  ) {
    throw kernelError('page.invalid_cursor', 'The cursor is malformed or belongs to another list');
  }
  return parsed.slice(1) as string[];
}

/** Escapes LIKE wildcards so a search for `50%` matches the text, not everything. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
