/** What every part of the people module is built from, passed in from the composition root. */
import type { Kysely } from 'kysely';
import { kernelError } from '../../kernel/errors.js';
import type { Database } from '../../storage/schema.js';
import type { RecordEvents } from '../audit/index.js';

export interface PeopleDeps {
  readonly db: Kysely<Database>;
  /** Appends events inside the caller's transaction (`Journal.record`). */
  readonly record: RecordEvents;
  readonly clock: () => Date;
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
